using System.Diagnostics;
using System.Net;

namespace LiteKube.Benchmarks.Membership;

/// <summary>
/// Failover: three nodes (three voters). Each run kills the datastore leader's process with
/// SIGKILL and times the first ConfigMap create that succeeds through another server's Kubernetes
/// API, a new attempt starting every 50 ms while earlier ones may still wait; then the killed
/// node restarts on its data dir and the cluster settles before the next run.
/// </summary>
public static class FailoverScenario
{
    private static readonly TimeSpan AttemptEvery = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan AttemptPatience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const int MaxInFlight = 40;

    public static async Task<DurationSamples> RunAsync(LiteKubeCli cli, IReadOnlyList<IPAddress> addresses, string directory, int runs, CancellationToken cancellationToken)
    {
        var samples = new DurationSamples("failover");
        await using var cluster = new MembershipCluster(cli, addresses.Take(3).ToArray(), Path.Combine(directory, "failover"));
        await cluster.GrowAsync(3, cancellationToken);
        for (var run = 1; run <= runs; run++)
        {
            var status = await cluster.WaitSettledAsync(3, cancellationToken);
            var leader = cluster.ByName(status.Leader!);
            var survivors = cluster.Running.Where(n => n != leader).ToList();
            var through = survivors[run % survivors.Count];
            // A write before the kill: the client's TLS connection is open and the server's write
            // path compiled, so the figure is the failover, not a cold start.
            if (!await through.TryCreateConfigMapAsync($"warm-{run}", AttemptPatience, cancellationToken))
            {
                throw new InvalidOperationException($"a write through {through.Name} failed before the kill\n{cluster.LogTails()}");
            }

            var killed = Stopwatch.GetTimestamp();
            await leader.KillAsync();
            var written = await FirstWriteAsync(through, run, cancellationToken)
                ?? throw new InvalidOperationException($"no write through {through.Name} succeeded within {Patience.TotalSeconds:0} s of killing {leader.Name}\n{cluster.LogTails()}");
            var elapsed = Stopwatch.GetElapsedTime(killed, written);
            samples.Add(elapsed);
            Console.Error.WriteLine($"  failover {run,2}: kill -9 of leader {leader.Name}, first write through {through.Name} after {elapsed.TotalSeconds:0.00} s");
            await leader.StartAsync(join: null, cancellationToken);
        }

        return samples;
    }

    /// <summary>When the first create through <paramref name="through"/> succeeded, or null.</summary>
    private static async Task<long?> FirstWriteAsync(MemberNode through, int run, CancellationToken cancellationToken)
    {
        var first = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var attempts = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var n = 0; !first.Task.IsCompleted && clock.Elapsed < Patience; n++)
        {
            attempts.RemoveAll(a => a.IsCompleted);
            if (attempts.Count < MaxInFlight)
            {
                var name = $"failover-{run}-{n}";
                attempts.Add(Task.Run(async () =>
                {
                    if (await through.TryCreateConfigMapAsync(name, AttemptPatience, stop.Token))
                    {
                        first.TrySetResult(Stopwatch.GetTimestamp());
                    }
                }, CancellationToken.None));
            }

            await Task.WhenAny(first.Task, Task.Delay(AttemptEvery, cancellationToken));
        }

        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(attempts);
        }
        catch (OperationCanceledException)
        {
        }

        cancellationToken.ThrowIfCancellationRequested();
        return first.Task.IsCompleted ? await first.Task : null;
    }
}

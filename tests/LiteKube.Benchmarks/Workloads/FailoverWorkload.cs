using System.Diagnostics;
using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using LiteKube.Benchmarks.Clients;
using LiteKube.Benchmarks.Measurement;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Failover time: SIGKILL the leader of a cluster and measure until the first write issued after
/// the kill succeeds through a surviving member. Writes are open loop (a new put every
/// <see cref="Interval"/> on the survivors in turn, each with a short deadline), so the figure's
/// resolution is that interval, not a request timeout. The killed member is restarted on its
/// data dir and must catch up (a put through it succeeds) before the next run.
/// </summary>
public sealed class FailoverWorkload(int runs) : IWorkload
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan PutDeadline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(30);
    private static readonly ByteString Key = ByteString.CopyFromUtf8("bench-failover/key");

    public bool NeedsWarmServer => false;

    public string Name => $"failover, kill -9 leader ({runs} runs)";

    public async Task<WorkloadOutcome> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var cluster = context.Server as IBenchmarkCluster
            ?? throw new InvalidOperationException("the failover workload needs a cluster (suite `cluster`)");
        var samples = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var leader = await cluster.WaitForLeaderAsync(GiveUp, cancellationToken);
            var survivors = Enumerable.Range(0, cluster.Members.Count).Where(i => i != leader).Select(i => cluster.Members[i].Endpoint).ToList();
            var connections = EtcdConnection.OpenMany(survivors, survivors.Count);
            try
            {
                // Connections up and the survivors serving before the clock starts.
                foreach (var connection in connections)
                {
                    await PutAsync(connection, TimeSpan.FromSeconds(10), cancellationToken);
                }

                var killedAt = Stopwatch.GetTimestamp();
                await cluster.KillAsync(leader);
                samples.Add(await FirstWriteAfterAsync(connections, killedAt, cancellationToken));
                Console.Error.WriteLine($"    {cluster.Name} run {run + 1}: leader m{leader} killed, first write after {samples[^1]:0} ms");
            }
            finally
            {
                foreach (var connection in connections)
                {
                    connection.Dispose();
                }
            }

            await cluster.RestartAsync(leader, cancellationToken);
            using var restarted = EtcdConnection.Open(cluster.Members[leader].Endpoint);
            await PutAsync(restarted, GiveUp, cancellationToken);
        }

        var sorted = samples.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        Figure[] figures = [Figure.Latency(Name, "median", median), Figure.Latency(Name, "max", sorted[^1])];
        Diagnostic[] diagnostics =
        [
            new(Name, "runs (ms)", string.Join(" ", samples.Select(s => s.ToString("0", CultureInfo.InvariantCulture)))),
        ];
        return new WorkloadOutcome(Name, cluster.Name, figures, diagnostics);
    }

    /// <summary>Milliseconds from <paramref name="killedAt"/> to the completion of the first
    /// successful put issued after it.</summary>
    private static async Task<double> FirstWriteAfterAsync(EtcdConnection[] connections, long killedAt, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstSuccess = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = new List<Task>();
        var next = 0;
        while (!firstSuccess.Task.IsCompleted)
        {
            if (Stopwatch.GetElapsedTime(killedAt) > GiveUp)
            {
                throw new InvalidOperationException($"no write succeeded within {GiveUp.TotalSeconds} s of killing the leader");
            }

            var connection = connections[next++ % connections.Length];
            attempts.Add(Task.Run(async () =>
            {
                try
                {
                    await PutAsync(connection, PutDeadline, stop.Token);
                    firstSuccess.TrySetResult(Stopwatch.GetTimestamp());
                }
                catch (RpcException)
                {
                    // No leader yet, or the request died with the old one: the next attempt follows.
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None));
            await Task.WhenAny(firstSuccess.Task, Task.Delay(Interval, cancellationToken));
        }

        var succeededAt = await firstSuccess.Task;
        stop.Cancel();
        await Task.WhenAll(attempts);
        return Stopwatch.GetElapsedTime(killedAt, succeededAt).TotalMilliseconds;
    }

    private static Task PutAsync(EtcdConnection connection, TimeSpan deadline, CancellationToken cancellationToken) =>
        connection.Kv.PutAsync(
            new PutRequest { Key = Key, Value = ByteString.CopyFromUtf8(DateTime.UtcNow.ToString("O")) },
            deadline: DateTime.UtcNow + deadline, cancellationToken: cancellationToken).ResponseAsync;
}

using System.Diagnostics;
using System.Net;

namespace LiteKube.Benchmarks.Membership;

/// <summary>The figures of the promotion scenario; <see cref="Stopped"/> says why fewer runs than asked were made.</summary>
public sealed record PromotionFigures(DurationSamples Total, DurationSamples AfterGrace, string? Stopped);

/// <summary>
/// Standby promotion: four nodes (three voters, one standby). Each run kills a voter that does not
/// lead with SIGKILL and times until the leader's status lists the standby as a voter. That
/// includes the grace period (<see cref="GracePeriod"/>) the role manager waits before replacing
/// a voter, by design; the figure minus the grace is what the promotion itself costs. The killed
/// node then restarts on its data dir and the cluster settles at 3 voters + 1 standby again.
/// Every run lasts more than the grace period, so the runs stop once <paramref name="budget"/>
/// is spent and at least <see cref="MinimumRuns"/> are done.
/// </summary>
public static class PromotionScenario
{
    /// <summary>VoterPlanner.Default.Grace: a voter unreachable for this long is replaced.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    public const int MinimumRuns = 5;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static async Task<PromotionFigures> RunAsync(
        LiteKubeCli cli, IReadOnlyList<IPAddress> addresses, string directory, int runs, TimeSpan budget, CancellationToken cancellationToken)
    {
        var total = new DurationSamples("promotion");
        var afterGrace = new DurationSamples("promotion minus grace");
        await using var cluster = new MembershipCluster(cli, addresses.Take(4).ToArray(), Path.Combine(directory, "promotion"));
        await cluster.GrowAsync(4, cancellationToken);
        var clock = Stopwatch.StartNew();
        for (var run = 1; run <= runs; run++)
        {
            if (run > MinimumRuns && clock.Elapsed > budget)
            {
                return new(total, afterGrace, $"stopped after {run - 1} runs: the {budget.TotalMinutes:0}-minute budget was spent (each run waits out the {GracePeriod.TotalSeconds:0} s grace)");
            }

            var status = await cluster.WaitSettledAsync(4, cancellationToken);
            var leader = cluster.ByName(status.Leader!);
            var standby = status.Standbys[0].Name;
            var followers = status.Voters.Where(v => v.Name != leader.Name).Select(v => cluster.ByName(v.Name)).ToList();
            var victim = followers[run % followers.Count];

            var killed = Stopwatch.GetTimestamp();
            await victim.KillAsync();
            var promoted = await PromotedAsync(leader, standby, cancellationToken)
                ?? throw new InvalidOperationException($"{standby} was not a voter within {Patience.TotalSeconds:0} s of killing {victim.Name}\n{cluster.LogTails()}");
            var elapsed = Stopwatch.GetElapsedTime(killed, promoted);
            total.Add(elapsed);
            afterGrace.Add(elapsed - GracePeriod);
            Console.Error.WriteLine($"  promotion {run,2}: kill -9 of voter {victim.Name}, standby {standby} a voter after {elapsed.TotalSeconds:0.00} s");
            await victim.StartAsync(join: null, cancellationToken);
        }

        return new(total, afterGrace, null);
    }

    /// <summary>When the leader's status first lists <paramref name="standby"/> as a voter, or null.</summary>
    private static async Task<long?> PromotedAsync(MemberNode leader, string standby, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (await leader.TryStatusAsync(cancellationToken) is { } status && status.IsVoter(standby))
            {
                return Stopwatch.GetTimestamp();
            }

            await Task.Delay(Poll, cancellationToken);
        }

        return null;
    }
}

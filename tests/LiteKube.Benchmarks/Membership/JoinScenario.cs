using System.Diagnostics;
using System.Net;

namespace LiteKube.Benchmarks.Membership;

/// <summary>The figures of the join scenario.</summary>
public sealed record JoinFigures(DurationSamples ReadyLine, DurationSamples CaughtUp, DurationSamples Joined);

/// <summary>
/// Join: n1 starts alone; n2, n3 and n4 join one after another with a fresh <c>litekube
/// add-node</c> string each (so a join lands on a lone voter, on a voter with a standby, and on
/// three voters); then the cluster is thrown away and the next cycle starts over, until the runs
/// are done. Each join is timed from starting <c>litekube server --join</c> to its ready line,
/// to n1's status listing it with lag 0, and to both (the node is Ready).
/// </summary>
public static class JoinScenario
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task<JoinFigures> RunAsync(LiteKubeCli cli, IReadOnlyList<IPAddress> addresses, string directory, int runs, CancellationToken cancellationToken)
    {
        var figures = new JoinFigures(new("ready line"), new("caught up"), new("Ready (both)"));
        for (var cycle = 1; figures.Joined.Count < runs; cycle++)
        {
            await using var cluster = new MembershipCluster(cli, addresses, Path.Combine(directory, $"join-{cycle}"));
            await cluster[0].StartAsync(join: null, cancellationToken);
            for (var i = 1; i < addresses.Count && figures.Joined.Count < runs; i++)
            {
                await JoinOneAsync(cluster, i, figures, cancellationToken);
                await cluster.WaitSettledAsync(i + 1, cancellationToken);
            }
        }

        return figures;
    }

    private static async Task JoinOneAsync(MembershipCluster cluster, int index, JoinFigures figures, CancellationToken cancellationToken)
    {
        var first = cluster[0];
        var node = cluster[index];
        var join = await cluster.Cli.AddNodeAsync(first.DataDirectory, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        // The status is watched from the start: the snapshot may be in before the ready line.
        var caughtUp = WaitCaughtUpAsync(first, node.Name, stop.Token);
        try
        {
            await node.StartAsync(join, cancellationToken);
        }
        finally
        {
            if (!caughtUp.IsCompleted)
            {
                await ObserveAsync(caughtUp, stop, node.IsRunning);
            }
        }

        var ready = Stopwatch.GetElapsedTime(started, node.ReadyLineTimestamp);
        var member = Stopwatch.GetElapsedTime(started, await caughtUp
            ?? throw new InvalidOperationException($"n1's status did not list {node.Name} with lag 0 within {Patience.TotalSeconds:0} s\n{cluster.LogTails()}"));
        figures.ReadyLine.Add(ready);
        figures.CaughtUp.Add(member);
        figures.Joined.Add(ready > member ? ready : member);
        Console.Error.WriteLine($"  join {figures.Joined.Count,2}: {node.Name} into {index} node(s): ready line {ready.TotalSeconds:0.00} s, caught up {member.TotalSeconds:0.00} s");
    }

    /// <summary>Stops the status watch when the start failed; a started node's watch runs on.</summary>
    private static async Task ObserveAsync(Task<long?> caughtUp, CancellationTokenSource stop, bool started)
    {
        if (started)
        {
            return;
        }

        await stop.CancelAsync();
        try
        {
            await caughtUp;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The moment <paramref name="via"/>'s status first lists <paramref name="name"/> with lag 0, or null.</summary>
    private static async Task<long?> WaitCaughtUpAsync(MemberNode via, string name, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (await via.TryStatusAsync(cancellationToken) is { } status && status.IsCaughtUp(name))
            {
                return Stopwatch.GetTimestamp();
            }

            await Task.Delay(Poll, cancellationToken);
        }

        return null;
    }
}

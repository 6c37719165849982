using LiteKube.Datastore.Tests.Linearizability;
using LiteKube.Datastore.Tests.Recording;
using LiteKube.Datastore.Tests.WatchValidation;
using Xunit.Abstractions;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>
/// The fault scenarios, run against every <see cref="IFaultCluster"/> (one derived test class per
/// cluster, sharing one cluster through its class fixture; xunit runs them one after another):
/// concurrent load while members are killed, paused and partitioned keeps the history
/// linearizable, every watcher sees every revision, and every acknowledged write survives a
/// whole-cluster power loss. Each test is a short schedule (CI); <c>LITEKUBE_FAULT_ROUNDS=N</c>
/// repeats it (the longer run the derived classes document).
/// </summary>
/// <param name="cluster">The class fixture's cluster.</param>
/// <param name="load">The load of every scenario (a scenario may use fewer clients).</param>
/// <param name="progress">How far the watch validator trusts this store's progress notifications.</param>
public abstract class FaultScenarioTests(IFaultCluster cluster, LoadOptions load, ProgressTrust progress, ITestOutputHelper output)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    [Fact]
    public Task Killing_the_leader_and_a_follower_under_load_keeps_the_history_linearizable() =>
        RunAsync(load, Fault.KillLeader, Fault.KillFollower);

    [Fact]
    public Task Pausing_the_leader_and_a_follower_under_load_keeps_the_history_linearizable() =>
        RunAsync(load, Fault.PauseLeader, Fault.PauseFollower);

    [Fact]
    public Task Partitioning_the_leader_and_a_follower_under_load_keeps_the_history_linearizable() =>
        RunAsync(load, Fault.IsolateLeader, Fault.IsolateFollower);

    [Fact]
    public async Task After_a_whole_cluster_power_loss_every_acknowledged_write_is_present()
    {
        // The full load: a client whose call got no answer probes until the cluster serves again
        // before it issues more (LoadGenerator), so the outage leaves at most one unknown outcome
        // per client however long the members take to restart.
        var run = await RunAsync(load, Fault.PowerLoss);

        // The checker already proved it value by value; this says it in one line too.
        var acknowledged = run.History
            .Where(h => h.Operation.Request is not RangeCall && h.Operation.Outcome is Returned)
            .Max(h => Revision(((Returned)h.Operation.Outcome).Result));
        Assert.True(run.FinalRevision >= acknowledged, $"final revision {run.FinalRevision} is below acknowledged revision {acknowledged}");
    }

    [Fact]
    public async Task Isolating_the_leader_makes_the_others_elect_another_one()
    {
        await cluster.WaitHealthyAsync(default);
        var leader = await cluster.LeaderAsync(default);

        cluster.Isolate(leader);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            var current = leader;
            while (current == leader && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
                current = await CurrentLeaderOrSameAsync(cluster, leader);
            }
            Assert.NotEqual(leader, current);
        }
        finally
        {
            cluster.Heal();
        }
        await cluster.WaitHealthyAsync(default);
    }

    /// <summary>The majority side's view: an isolated member may still believe it leads.</summary>
    private static async Task<int> CurrentLeaderOrSameAsync(IFaultCluster cluster, int isolated)
    {
        try
        {
            return await cluster.LeaderAsync(default);
        }
        catch (InvalidOperationException)
        {
            return isolated;
        }
    }

    /// <summary>Runs the schedule <see cref="FaultRun.Rounds"/> times, each round a history of its
    /// own that must pass; returns the last.</summary>
    private async Task<LoadRun> RunAsync(LoadOptions load, params Fault[] faults)
    {
        LoadRun? last = null;
        for (var round = 1; round <= FaultRun.Rounds; round++)
        {
            cluster.Heal();
            await cluster.WaitHealthyAsync(default);

            var (run, timeline) = await FaultRun.RunAsync(cluster, faults, load, Quiet);
            var report = RunCheck.Check(run, progress);

            output.WriteLine($"round {round} of {FaultRun.Rounds}");
            output.WriteLine(string.Join("\n", timeline));
            output.WriteLine(report.Text);
            Assert.True(report.Ok, $"round {round}: " + report.Text + "\n" + cluster.LogTails());
            Assert.True(report.Figures.Operations - report.Figures.Unknown > 200, $"round {round}: only {report.Figures.Operations} operations ran");
            last = run;
        }
        return last!;
    }

    private static long Revision(object result) => result switch
    {
        PutResult p => p.Revision,
        DeleteRangeResult d => d.Revision,
        TxnResult t => t.Revision,
        LeaseGrantResult g => g.Revision,
        LeaseRevokeResult r => r.Revision,
        _ => 0,
    };
}

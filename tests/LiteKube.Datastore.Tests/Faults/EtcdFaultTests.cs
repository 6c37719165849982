using LiteKube.Datastore.Tests.Linearizability;
using LiteKube.Datastore.Tests.Recording;
using Xunit.Abstractions;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>One 3-member etcd (real processes, TLS, each member in its own cgroup) shared by the
/// fault tests of <see cref="EtcdFaultTests"/>, which xunit runs one after another.</summary>
public sealed class EtcdFaultClusterFixture : IAsyncLifetime
{
    public EtcdFaultCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await EtcdFaultCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Concurrent load against a real 3-member etcd through <see cref="LiteKube.Datastore.External.ExternalStore"/>
/// while members are killed, paused and partitioned: the history stays linearizable, every
/// watcher sees every revision, and every acknowledged write survives. Each test is a short
/// schedule (CI); the longer run repeats it:
/// <c>LITEKUBE_FAULT_ROUNDS=10 dotnet test tests/LiteKube.Datastore.Tests --filter FullyQualifiedName~EtcdFaultTests</c>.
/// </summary>
public sealed class EtcdFaultTests(EtcdFaultClusterFixture fixture, ITestOutputHelper output) : IClassFixture<EtcdFaultClusterFixture>
{
    private static readonly LoadOptions Load = new() { Clients = 6 };
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    [Fact]
    public Task Killing_the_leader_and_a_follower_under_load_keeps_the_history_linearizable() =>
        RunAsync(Load, Fault.KillLeader, Fault.KillFollower);

    [Fact]
    public Task Pausing_the_leader_and_a_follower_under_load_keeps_the_history_linearizable() =>
        RunAsync(Load, Fault.PauseLeader, Fault.PauseFollower);

    [Fact]
    public Task Partitioning_the_leader_and_a_follower_under_load_keeps_the_history_linearizable() =>
        RunAsync(Load, Fault.IsolateLeader, Fault.IsolateFollower);

    [Fact]
    public async Task After_a_whole_cluster_power_loss_every_acknowledged_write_is_present()
    {
        // Fewer clients: every call while the whole cluster is down has an unknown outcome, and
        // each unknown write multiplies the orders the checker must try (6 clients came within
        // 15% of its step budget; 3 leave a wide margin and still a few hundred operations).
        var run = await RunAsync(Load with { Clients = 3 }, Fault.PowerLoss);

        // The checker already proved it value by value; this says it in one line too.
        var acknowledged = run.History
            .Where(h => h.Operation.Request is not RangeCall && h.Operation.Outcome is Returned)
            .Max(h => Revision(((Returned)h.Operation.Outcome).Result));
        Assert.True(run.FinalRevision >= acknowledged, $"final revision {run.FinalRevision} is below acknowledged revision {acknowledged}");
    }

    [Fact]
    public async Task Isolating_the_leader_makes_the_others_elect_another_one()
    {
        var cluster = fixture.Cluster;
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

    private async Task<LoadRun> RunAsync(LoadOptions load, params Fault[] faults)
    {
        var cluster = fixture.Cluster;
        cluster.Heal();
        await cluster.WaitHealthyAsync(default);

        var (run, timeline) = await FaultRun.RunAsync(cluster, FaultRun.Rounds(faults), load, Quiet);
        // Debian's etcd 3.4.23 predates the fix of etcd-io/etcd#15220 (3.4.25): see ProgressTrust.
        var report = RunCheck.Check(run, WatchValidation.ProgressTrust.EtcdIssue15220);

        output.WriteLine(string.Join("\n", timeline));
        output.WriteLine(report.Text);
        Assert.True(report.Ok, report.Text + "\n" + cluster.LogTails());
        Assert.True(report.Figures.Operations - report.Figures.Unknown > 200, $"only {report.Figures.Operations} operations ran");
        return run;
    }

    private static long Revision(object result) => result switch
    {
        LiteKube.Datastore.PutResult p => p.Revision,
        LiteKube.Datastore.DeleteRangeResult d => d.Revision,
        LiteKube.Datastore.TxnResult t => t.Revision,
        LiteKube.Datastore.LeaseGrantResult g => g.Revision,
        LeaseRevokeResult r => r.Revision,
        _ => 0,
    };
}

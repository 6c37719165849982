using System.Diagnostics;
using LiteKube.Datastore.Tests.Raft.Simulation;
using Xunit.Abstractions;

namespace LiteKube.Datastore.Tests.Raft;

/// <summary>
/// Many seeded runs of simulated 3- and 5-node clusters under crashes, partitions, message loss,
/// duplication and reordering, leader transfers and membership changes, with Raft's safety
/// invariants checked after every event and liveness checked once the faults stop.
/// RAFT_SIM_SEED=n replays one seed (with a trace of its last events on failure);
/// RAFT_SIM_SEEDS=n changes how many seeds a run covers.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    private const long ChaosMs = 4_000;
    private const long CalmMs = 6_000;

    [Fact]
    public void Three_node_clusters_keep_raft_invariants_under_faults() => RunSeeds(size: 3, defaultSeeds: 60, firstSeed: 1);

    [Fact]
    public void Five_node_clusters_keep_raft_invariants_under_faults() => RunSeeds(size: 5, defaultSeeds: 30, firstSeed: 10_001);

    private void RunSeeds(int size, int defaultSeeds, int firstSeed)
    {
        var replay = Environment.GetEnvironmentVariable("RAFT_SIM_SEED");
        var seeds = replay is not null
            ? [int.Parse(replay)]
            : Enumerable.Range(firstSeed, int.TryParse(Environment.GetEnvironmentVariable("RAFT_SIM_SEEDS"), out var n) ? n : defaultSeeds);
        var clock = Stopwatch.StartNew();
        long elections = 0, crashes = 0, changes = 0;
        var runs = 0;
        foreach (var seed in seeds)
        {
            var sim = new SimCluster(seed, size, traceEvents: replay is not null);
            try
            {
                sim.Run(ChaosMs, CalmMs, membershipChanges: true);
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} ({size} nodes) failed at {sim.Now} ms: {ex.Message}\n" +
                    $"replay with RAFT_SIM_SEED={seed}\n{(ex is SimViolationException ? "" : ex.StackTrace)}\n{sim.RecentTrace}");
            }
            elections += sim.Elections;
            crashes += sim.Crashes;
            changes += sim.ConfChanges;
            runs++;
        }
        output.WriteLine($"{runs} runs of {size} nodes in {clock.ElapsedMilliseconds} ms: {elections} campaigns, {crashes} crashes, {changes} conf changes");
        // A simulation that never elects, crashes or reconfigures would prove nothing (one replayed
        // seed may legitimately lack a kind of fault).
        Assert.True(replay is not null || elections > runs && crashes > runs && changes > 0, $"the faults did not happen: {elections} campaigns, {crashes} crashes, {changes} conf changes");
    }
}

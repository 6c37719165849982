using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Registry.Services.Repair;

namespace LiteKube.ApiServer.Tests.Services;

/// <summary>The pure repair decision over a snapshot of Services and pool keys.</summary>
public sealed class AllocationRepairTests
{
    private static readonly ServiceNetworkOptions Network = new();
    private static readonly Dictionary<(Pool, string), LeakRecord> NoLeaks = [];

    private static ServiceClaim Service(string name, string created, string[]? ips = null, int[]? ports = null) =>
        new("default", name, "uid-" + name, created, (ips ?? []).ToHashSet(), (ports ?? []).ToHashSet());

    private static string Describe(RepairAction action) => action switch
    {
        TakeKey t => $"take {t.Pool} {t.Value} for {t.Holder}",
        SetHolder s => $"set {s.Pool} {s.Value} to {s.Holder} if at {s.ModRevision}",
        ReleaseKey r => $"release {r.Pool} {r.Value} if at {r.ModRevision}",
        ReportOnService r => $"event {r.Reason} on {r.Service.Name}: {r.Message}",
        _ => action.ToString(),
    };

    [Fact]
    public void A_consistent_datastore_needs_nothing()
    {
        var snapshot = new AllocationSnapshot(
            [Service("a", "2026-01-01T00:00:00Z", ["10.43.0.10"], [30010])],
            [new PoolKey("10.43.0.10", "default/a", 5)],
            [new PoolKey("30010", "default/a", 5)]);

        var plan = AllocationRepair.Decide(snapshot, Network, NoLeaks);

        Assert.Empty(plan.Actions);
        Assert.Empty(plan.Leaks);
    }

    [Fact]
    public void Missing_keys_are_taken_shared_values_stay_with_the_holder_and_wrong_holders_are_re_pointed()
    {
        var snapshot = new AllocationSnapshot(
            [
                Service("missing", "2026-01-01T00:00:00Z", ["10.43.0.10"], [30010]),
                Service("older", "2026-01-01T00:00:00Z", ["10.43.0.20"]),
                Service("holder", "2026-01-02T00:00:00Z", ["10.43.0.20"]),
                Service("moved", "2026-01-01T00:00:00Z", ["10.43.0.40"]),
                Service("outside", "2026-01-01T00:00:00Z", ["10.99.0.5"], [80]),
            ],
            [new PoolKey("10.43.0.20", "default/holder", 7), new PoolKey("10.43.0.40", "default/gone", 8)],
            []);

        var plan = AllocationRepair.Decide(snapshot, Network, NoLeaks);

        Assert.Equal(
        [
            "take ClusterIps 10.43.0.10 for default/missing",
            "event ClusterIPNotAllocated on missing: Cluster IP [IPv4]:10.43.0.10 is not allocated; repairing",
            "event ClusterIPAlreadyAllocated on older: Cluster IP [IPv4]:10.43.0.20 was assigned to multiple services; please recreate service",
            "set ClusterIps 10.43.0.40 to default/moved if at 8",
            "event ClusterIPOutOfRange on outside: Cluster IP [IPv4]:10.99.0.5 is not within the configured Service CIDR 10.43.0.0/16; please recreate service",
            "take NodePorts 30010 for default/missing",
            "event PortNotAllocated on missing: Port 30010 is not allocated; repairing",
            "event PortOutOfRange on outside: Port 80 is not within the port range 30000-32767; please recreate service",
        ], plan.Actions.Select(Describe));
    }

    [Fact]
    public void Two_services_without_a_key_leave_the_value_to_the_oldest()
    {
        var snapshot = new AllocationSnapshot(
            [Service("young", "2026-02-01T00:00:00Z", ports: [30500]), Service("old", "2026-01-01T00:00:00Z", ports: [30500])], [], []);

        var plan = AllocationRepair.Decide(snapshot, Network, NoLeaks);

        Assert.Equal(
        [
            "take NodePorts 30500 for default/old",
            "event PortNotAllocated on old: Port 30500 is not allocated; repairing",
            "event PortAlreadyAllocated on young: Port 30500 was assigned to multiple services; please recreate service",
        ], plan.Actions.Select(Describe));
    }

    [Fact]
    public void A_key_without_a_service_is_released_only_on_the_third_pass_that_sees_it_unchanged()
    {
        var leaked = new AllocationSnapshot([], [new PoolKey("10.43.0.30", "default/gone", 9)], [new PoolKey("30030", "default/gone", 9)]);

        var first = AllocationRepair.Decide(leaked, Network, NoLeaks);
        var second = AllocationRepair.Decide(leaked, Network, first.Leaks);
        var third = AllocationRepair.Decide(leaked, Network, second.Leaks);

        Assert.Empty(first.Actions);
        Assert.Equal(1, first.Leaks[(Pool.ClusterIps, "10.43.0.30")].Passes);
        Assert.Empty(second.Actions);
        Assert.Equal(["release ClusterIps 10.43.0.30 if at 9", "release NodePorts 30030 if at 9"], third.Actions.Select(Describe));
        Assert.Empty(third.Leaks);

        // Rewritten in between (a create in flight took it again): the count starts over.
        var rewritten = new AllocationSnapshot([], [new PoolKey("10.43.0.30", "default/new", 12)], []);
        var again = AllocationRepair.Decide(rewritten, Network, second.Leaks);
        Assert.Empty(again.Actions);
        Assert.Equal(new LeakRecord(12, 1), again.Leaks[(Pool.ClusterIps, "10.43.0.30")]);

        // Held again by a Service: no longer a leak.
        var held = new AllocationSnapshot([Service("new", "2026-01-01T00:00:00Z", ["10.43.0.30"])], [new PoolKey("10.43.0.30", "default/new", 12)], []);
        Assert.Empty(AllocationRepair.Decide(held, Network, second.Leaks).Leaks);
    }
}

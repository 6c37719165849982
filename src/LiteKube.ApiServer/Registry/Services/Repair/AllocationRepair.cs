using System.Globalization;
using System.Net;

namespace LiteKube.ApiServer.Registry.Services.Repair;

/// <summary>
/// Upstream's allocation repair (pkg/registry/core/service/ipallocator/controller/repair.go and
/// portallocator/controller/repair.go) as a pure decision: from the Services and the pool keys
/// of one revision, which keys to take, re-point or release and which Services to warn about.
/// <list type="bullet">
/// <item>A value a Service holds without a key is taken for it (Event NotAllocated).</item>
/// <item>A value two Services hold stays with the key's holder, or else the oldest Service; the
/// others get an Event AlreadyAllocated (they must be recreated, as upstream says).</item>
/// <item>A value outside the configured range (the range changed) is left alone with an Event
/// OutOfRange.</item>
/// <item>A key no Service holds is released only after <see cref="LeakPasses"/> passes in a
/// row saw it so, at the same revision: upstream's grace for a create in flight.</item>
/// </list>
/// </summary>
public static class AllocationRepair
{
    /// <summary>Upstream's numRepairLeakCycles.</summary>
    public const int LeakPasses = 3;

    public static RepairPlan Decide(
        AllocationSnapshot snapshot, ServiceNetworkOptions network, IReadOnlyDictionary<(Pool, string), LeakRecord> leaks)
    {
        var range = new IpRange(network.ServiceCidr);
        var actions = new List<RepairAction>();
        var nextLeaks = new Dictionary<(Pool, string), LeakRecord>();
        var ipClaims = Claims(snapshot.Services, s => s.Ips);
        var portClaims = Claims(snapshot.Services, s => s.Ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        DecidePool(Pool.ClusterIps, ipClaims, snapshot.IpKeys, v => IPAddress.TryParse(v, out var ip) && range.OffsetOf(ip) is not null,
            range.Cidr.ToString(), leaks, actions, nextLeaks);
        DecidePool(Pool.NodePorts, portClaims, snapshot.PortKeys,
            v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= network.NodePortFirst && p <= network.NodePortLast,
            $"{network.NodePortFirst}-{network.NodePortLast}", leaks, actions, nextLeaks);
        return new RepairPlan(actions, nextLeaks);
    }

    private static void DecidePool(
        Pool pool, Dictionary<string, List<ServiceClaim>> claims, IReadOnlyList<PoolKey> keys, Func<string, bool> inRange, string rangeText,
        IReadOnlyDictionary<(Pool, string), LeakRecord> leaks, List<RepairAction> actions, Dictionary<(Pool, string), LeakRecord> nextLeaks)
    {
        var byValue = keys.ToDictionary(k => k.Value, StringComparer.Ordinal);
        foreach (var (value, claimants) in claims.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            byValue.TryGetValue(value, out var key);
            if (!inRange(value))
            {
                actions.AddRange(claimants.Select(s => Report(pool, s, value, "OutOfRange", OutOfRangeMessage(pool, value, rangeText))));
                continue;
            }

            // The key's holder keeps the value if it still holds it; otherwise the oldest claimant.
            var owner = claimants.FirstOrDefault(s => s.Holder == key?.Holder) ?? claimants[0];
            if (key is null)
            {
                actions.Add(new TakeKey(pool, value, owner.Holder));
                actions.Add(Report(pool, owner, value, "NotAllocated", NotAllocatedMessage(pool, value)));
            }
            else if (key.Holder != owner.Holder)
            {
                actions.Add(new SetHolder(pool, value, owner.Holder, key.ModRevision));
            }

            actions.AddRange(claimants.Where(s => s != owner).Select(s => Report(pool, s, value, "AlreadyAllocated", AlreadyAllocatedMessage(pool, value))));
        }

        foreach (var key in keys.Where(k => !claims.ContainsKey(k.Value)))
        {
            var passes = leaks.TryGetValue((pool, key.Value), out var seen) && seen.ModRevision == key.ModRevision ? seen.Passes + 1 : 1;
            if (passes >= LeakPasses)
            {
                actions.Add(new ReleaseKey(pool, key.Value, key.ModRevision));
            }
            else
            {
                nextLeaks[(pool, key.Value)] = new LeakRecord(key.ModRevision, passes);
            }
        }
    }

    /// <summary>Value to claimants, oldest first (creation time, then namespace/name).</summary>
    private static Dictionary<string, List<ServiceClaim>> Claims(IEnumerable<ServiceClaim> services, Func<ServiceClaim, IEnumerable<string>> values)
    {
        var claims = new Dictionary<string, List<ServiceClaim>>(StringComparer.Ordinal);
        var ordered = services.OrderBy(s => s.CreationTimestamp, StringComparer.Ordinal).ThenBy(s => s.Holder, StringComparer.Ordinal);
        foreach (var service in ordered)
        {
            foreach (var value in values(service).Distinct())
            {
                if (!claims.TryGetValue(value, out var list))
                {
                    claims[value] = list = [];
                }

                list.Add(service);
            }
        }

        return claims;
    }

    private static ReportOnService Report(Pool pool, ServiceClaim service, string value, string what, string message) =>
        new(pool, service, value, (pool == Pool.ClusterIps ? "ClusterIP" : "Port") + what, message);

    // Upstream's wording (the IP messages name the family, as "[IPv4]:10.43.0.10").
    private static string NotAllocatedMessage(Pool pool, string value) => pool == Pool.ClusterIps
        ? $"Cluster IP [{Family(value)}]:{value} is not allocated; repairing"
        : $"Port {value} is not allocated; repairing";

    private static string AlreadyAllocatedMessage(Pool pool, string value) => pool == Pool.ClusterIps
        ? $"Cluster IP [{Family(value)}]:{value} was assigned to multiple services; please recreate service"
        : $"Port {value} was assigned to multiple services; please recreate service";

    private static string OutOfRangeMessage(Pool pool, string value, string range) => pool == Pool.ClusterIps
        ? $"Cluster IP [{Family(value)}]:{value} is not within the configured Service CIDR {range}; please recreate service"
        : $"Port {value} is not within the port range {range}; please recreate service";

    private static string Family(string ip) => ip.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4";
}

namespace LiteKube.ApiServer.Registry.Services.Repair;

/// <summary>A Service as the repair sees it: what it holds from the pools, and its age (the
/// oldest of two Services claiming one value keeps it).</summary>
public sealed record ServiceClaim(string Namespace, string Name, string Uid, string CreationTimestamp, IReadOnlySet<string> Ips, IReadOnlySet<int> Ports)
{
    /// <summary>"namespace/name", as the pool keys name their holder.</summary>
    public string Holder => $"{Namespace}/{Name}";
}

/// <summary>One pool key: <c>/registry/ranges/.../&lt;value&gt;</c>, its holder and the revision it was last written at.</summary>
public sealed record PoolKey(string Value, string Holder, long ModRevision);

/// <summary>Everything one repair pass decides from, read at one datastore revision, so that a
/// Service and its keys (written in one txn) are never seen half-written.</summary>
public sealed record AllocationSnapshot(IReadOnlyList<ServiceClaim> Services, IReadOnlyList<PoolKey> IpKeys, IReadOnlyList<PoolKey> PortKeys);

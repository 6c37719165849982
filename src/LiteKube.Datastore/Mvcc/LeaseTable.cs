namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// The leases in memory: granted TTL and expiry time. Expiry is not stored: after a restart
/// every lease gets its full TTL again, as etcd does after a restart or leader change.
/// Thread-safe; the writer changes it, readers and keep-alives may run beside it.
/// </summary>
public sealed class LeaseTable(TimeProvider time)
{
    /// <summary>etcd's floor for a lease TTL with its default timings (1.5 election timeouts, rounded up).</summary>
    public const long MinTtlSeconds = 2;

    /// <summary>etcd's MaxLeaseTTL.</summary>
    public const long MaxTtlSeconds = 9_000_000_000;

    private readonly object _gate = new();
    private readonly Dictionary<long, Lease> _leases = [];

    public bool Exists(long id)
    {
        lock (_gate)
        {
            return _leases.ContainsKey(id);
        }
    }

    public void Add(long id, long ttl)
    {
        lock (_gate)
        {
            _leases[id] = new Lease(ttl, time.GetUtcNow().AddSeconds(ttl));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _leases.Clear();
        }
    }

    /// <summary>Gives every lease its full TTL from now: a new leader does this before it
    /// expires anything, so that a leader change never expires a lease early (etcd's promote).</summary>
    public void RenewAll()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var (id, lease) in _leases.ToList())
            {
                _leases[id] = lease with { ExpiresAt = now.AddSeconds(lease.Ttl) };
            }
        }
    }

    public void Remove(long id)
    {
        lock (_gate)
        {
            _leases.Remove(id);
        }
    }

    /// <summary>Renews to the full TTL; null when unknown or already expired.</summary>
    public long? Renew(long id)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_leases.TryGetValue(id, out var lease) || lease.ExpiresAt <= now)
            {
                return null;
            }

            _leases[id] = lease with { ExpiresAt = now.AddSeconds(lease.Ttl) };
            return lease.Ttl;
        }
    }

    /// <summary>(remaining seconds, granted TTL); null when unknown or expired.</summary>
    public (long Remaining, long Granted)? TimeToLive(long id)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_leases.TryGetValue(id, out var lease) || lease.ExpiresAt <= now)
            {
                return null;
            }

            return ((long)Math.Ceiling((lease.ExpiresAt - now).TotalSeconds), lease.Ttl);
        }
    }

    public IReadOnlyList<long> Ids()
    {
        lock (_gate)
        {
            return _leases.Keys.Order().ToList();
        }
    }

    public IReadOnlyList<long> Expired()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _leases.Where(l => l.Value.ExpiresAt <= now).Select(l => l.Key).ToList();
        }
    }

    private sealed record Lease(long Ttl, DateTimeOffset ExpiresAt);
}

using System.Collections.Immutable;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>One live key of the model. Keys and values are byte strings held as Latin-1 strings
/// (one char per byte), so ordinal order is etcd's byte order.</summary>
public readonly record struct KeyState(string Value, long Create, long Mod, long Version, long Lease);

/// <summary>
/// The state of the etcd KV model: the current revision, the live keys and the live leases.
/// Immutable, with value equality and a cached hash (the checker memoises on it).
/// </summary>
/// <remarks>Lease expiry is not modelled: histories use TTLs longer than the run.</remarks>
public sealed class KvState : IEquatable<KvState>
{
    private int? _hash;

    public KvState(long revision, ImmutableSortedDictionary<string, KeyState> keys, ImmutableSortedSet<long> leases)
    {
        Revision = revision;
        Keys = keys;
        Leases = leases;
    }

    /// <summary>An empty store at <paramref name="revision"/> (etcd starts at 1).</summary>
    public static KvState Empty(long revision = 1) =>
        new(revision, ImmutableSortedDictionary.Create<string, KeyState>(StringComparer.Ordinal), []);

    /// <summary>The state a full read showed: its revision and keys, and no leases of the history.</summary>
    public static KvState FromRead(RangeResult read)
    {
        var keys = ImmutableSortedDictionary.CreateBuilder<string, KeyState>(StringComparer.Ordinal);
        foreach (var kv in read.Kvs)
        {
            keys[KvText.Bytes(kv.Key)] = new KeyState(KvText.Bytes(kv.Value), kv.CreateRevision, kv.ModRevision, kv.Version, kv.Lease);
        }
        return new KvState(read.Revision, keys.ToImmutable(), []);
    }

    public long Revision { get; }

    public ImmutableSortedDictionary<string, KeyState> Keys { get; }

    public ImmutableSortedSet<long> Leases { get; }

    public KvState With(long revision, ImmutableSortedDictionary<string, KeyState> keys) => new(revision, keys, Leases);

    public KvState WithLeases(ImmutableSortedSet<long> leases) => new(Revision, Keys, leases);

    public bool Equals(KvState? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other.Revision != Revision || other.GetHashCode() != GetHashCode()
            || other.Keys.Count != Keys.Count || other.Leases.Count != Leases.Count)
        {
            return false;
        }
        foreach (var (key, state) in Keys)
        {
            if (!other.Keys.TryGetValue(key, out var theirs) || theirs != state)
            {
                return false;
            }
        }
        return Leases.SetEquals(other.Leases);
    }

    public override bool Equals(object? obj) => Equals(obj as KvState);

    public override int GetHashCode() => _hash ??= ComputeHash();

    private int ComputeHash()
    {
        var hash = new HashCode();
        hash.Add(Revision);
        foreach (var (key, state) in Keys)
        {
            hash.Add(key);
            hash.Add(state);
        }
        foreach (var lease in Leases)
        {
            hash.Add(lease);
        }
        return hash.ToHashCode();
    }
}

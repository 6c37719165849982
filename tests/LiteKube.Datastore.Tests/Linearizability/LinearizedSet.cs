namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>A bitset of linearized operations with an incrementally kept Zobrist hash, so the
/// checker's cache lookups cost no pass over the bits.</summary>
internal sealed class LinearizedSet : IEquatable<LinearizedSet>
{
    private readonly ulong[] _bits;
    private readonly ulong[] _keys;
    private ulong _hash;

    public LinearizedSet(int operations)
    {
        _bits = new ulong[(operations + 63) / 64];
        // Fixed seed: equal sets hash equally across runs, which keeps step counts reproducible.
        var random = new Random(20261123);
        _keys = new ulong[operations];
        for (var i = 0; i < operations; i++)
        {
            _keys[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
        }
    }

    private LinearizedSet(ulong[] bits, ulong[] keys, ulong hash)
    {
        _bits = bits;
        _keys = keys;
        _hash = hash;
    }

    public void Toggle(int operation)
    {
        _bits[operation >> 6] ^= 1UL << (operation & 63);
        _hash ^= _keys[operation];
    }

    public LinearizedSet Snapshot() => new((ulong[])_bits.Clone(), _keys, _hash);

    public bool Equals(LinearizedSet? other) =>
        other is not null && other._hash == _hash && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as LinearizedSet);

    public override int GetHashCode() => (int)(_hash ^ (_hash >> 32));
}

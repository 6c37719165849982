namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// A key or key range in etcd's terms: End null or empty is the single key Start; End "\0" is
/// every key &gt;= Start; otherwise [Start, End).
/// </summary>
public readonly record struct KeyRange(byte[] Start, byte[]? End)
{
    public bool IsSingleKey => End is null || End.Length == 0;

    private bool IsOpenEnded => End is { Length: 1 } && End[0] == 0;

    public bool Contains(ReadOnlySpan<byte> key)
    {
        if (IsSingleKey)
        {
            return key.SequenceEqual(Start);
        }

        return key.SequenceCompareTo(Start) >= 0 && (IsOpenEnded || key.SequenceCompareTo(End) < 0);
    }

    /// <summary>True when some key is in both ranges.</summary>
    public bool Overlaps(KeyRange other)
    {
        if (IsSingleKey)
        {
            return other.Contains(Start);
        }

        if (other.IsSingleKey)
        {
            return Contains(other.Start);
        }

        var startsBeforeOtherEnds = other.IsOpenEnded || Start.AsSpan().SequenceCompareTo(other.End) < 0;
        var otherStartsBeforeThisEnds = IsOpenEnded || other.Start.AsSpan().SequenceCompareTo(End) < 0;
        return startsBeforeOtherEnds && otherStartsBeforeThisEnds;
    }

    /// <summary>The kv-column bounds that hold every entry of every key in the range.</summary>
    public (byte[] Lower, byte[]? Upper) KvBounds()
    {
        if (IsSingleKey)
        {
            var prefix = KeyLayout.KeyPrefix(Start);
            return (prefix, KeyLayout.PrefixEnd(prefix));
        }

        return (KeyLayout.KeyBound(Start), IsOpenEnded ? null : KeyLayout.KeyBound(End));
    }
}

using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>Receives one live key version; return false to stop the scan.
/// The spans are valid only during the call.</summary>
public delegate bool VersionVisitor(ReadOnlySpan<byte> kvKey, ReadOnlySpan<byte> record);

/// <summary>Walks the kv column: for every key in a range, its newest version at a revision.</summary>
public static class VersionScanner
{
    // After this many older versions of one key, seek past them instead of stepping.
    private const int StepsBeforeSeek = 4;

    /// <summary>Visits, in key order, the newest version at or below <paramref name="revision"/>
    /// of every key in <paramref name="range"/> that is not deleted at that revision.</summary>
    public static void ScanLive(IStorageView view, KeyRange range, long revision, VersionVisitor visit)
    {
        var (lower, upper) = range.KvBounds();
        using var it = view.Iterate(Column.Kv, lower, upper);
        it.SeekToFirst();
        while (it.Valid)
        {
            var prefix = KeyLayout.PrefixOf(it.Key).ToArray();
            if (KeyLayout.RevisionOf(it.Key) > revision)
            {
                it.Seek(KeyLayout.KvKey(prefix, revision));
                if (!it.Valid || !KeyLayout.PrefixOf(it.Key).SequenceEqual(prefix))
                {
                    continue;
                }
            }

            if (!IsTombstone(it.Value) && !visit(it.Key, it.Value))
            {
                return;
            }

            SkipKey(it, prefix);
        }
    }

    /// <summary>The newest version of the key whose kv prefix is given, at or below
    /// <paramref name="revision"/>; null when there is none or it is a tombstone.</summary>
    public static KeyValue? Get(IStorageView view, byte[] key, long revision)
    {
        var prefix = KeyLayout.KeyPrefix(key);
        using var it = view.Iterate(Column.Kv, prefix, KeyLayout.PrefixEnd(prefix));
        it.Seek(KeyLayout.KvKey(prefix, revision));
        if (!it.Valid || IsTombstone(it.Value))
        {
            return null;
        }

        return VersionRecord.Decode(it.Value).ToKeyValue(key, KeyLayout.RevisionOf(it.Key));
    }

    public static bool IsTombstone(ReadOnlySpan<byte> record) => (record[0] & 1) != 0;

    private static void SkipKey(IStorageIterator it, byte[] prefix)
    {
        for (var step = 0; step < StepsBeforeSeek; step++)
        {
            it.Next();
            if (!it.Valid || !it.Key.StartsWith(prefix))
            {
                return;
            }
        }

        // The smallest inverted revision suffix is all ones: nothing of this key sorts after it.
        it.Seek(KeyLayout.KvKey(prefix, 0));
        if (it.Valid && it.Key.StartsWith(prefix))
        {
            it.Next();
        }
    }
}

using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// A hash of the versions a store must keep at a revision: for each key, every version in
/// (compact, revision] plus the one compaction keeps. It does not depend on how far physical
/// compaction has got, so two members with the same history hash the same (FNV-1a, 32 bit).
/// </summary>
public static class KvHash
{
    public static uint Compute(IStorageView view, long revision, long compactRevision)
    {
        var hash = 2166136261u;
        using var it = view.Iterate(Column.Kv);
        byte[]? prefix = null;
        var keptOne = false;
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var entryPrefix = KeyLayout.PrefixOf(it.Key);
            if (prefix is null || !entryPrefix.SequenceEqual(prefix))
            {
                prefix = entryPrefix.ToArray();
                keptOne = false;
            }

            var version = KeyLayout.RevisionOf(it.Key);
            if (version > revision)
            {
                continue;
            }

            var include = version > compactRevision
                || (!keptOne && (!VersionScanner.IsTombstone(it.Value) || version == compactRevision));
            if (version <= compactRevision)
            {
                keptOne = true;
            }

            if (include)
            {
                hash = Mix(Mix(hash, it.Key), it.Value);
            }
        }

        return hash;
    }

    private static uint Mix(uint hash, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}

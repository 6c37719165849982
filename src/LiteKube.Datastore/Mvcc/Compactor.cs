using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// Removes from disk the versions that compaction made unreadable. For every key it keeps the
/// newest version at or below the compact revision (a tombstone only when it is exactly at the
/// compact revision, so that a watch from there still sees it) and deletes all older ones; the
/// change log below the compact revision goes too.
/// </summary>
/// <remarks>Runs beside the writer: it only deletes versions the writer never reads again, and
/// reads through a view so that concurrent writes do not disturb its walk. Crash-safe: the
/// scheduled revision is stored first, and an unfinished compaction is run again at start.</remarks>
public static class Compactor
{
    private const int DeletesPerBatch = 10_000;

    /// <returns>How many versions were removed.</returns>
    public static long Run(IStorageEngine engine, long compactRevision, CancellationToken cancellationToken)
    {
        long removed = 0;
        using var view = engine.OpenView();
        var batch = engine.CreateBatch();
        using var it = view.Iterate(Column.Kv);
        it.SeekToFirst();
        byte[]? prefix = null;
        var keptOne = false;
        while (it.Valid)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entryPrefix = KeyLayout.PrefixOf(it.Key);
            if (prefix is null || !entryPrefix.SequenceEqual(prefix))
            {
                prefix = entryPrefix.ToArray();
                keptOne = false;
            }

            var revision = KeyLayout.RevisionOf(it.Key);
            if (revision <= compactRevision)
            {
                var tombstone = VersionScanner.IsTombstone(it.Value);
                var keep = !keptOne && (!tombstone || revision == compactRevision);
                if (!keep)
                {
                    batch.Delete(Column.Kv, it.Key);
                    removed++;
                }

                keptOne = true;
            }

            if (batch.Count >= DeletesPerBatch)
            {
                engine.Write(batch, sync: false);
                batch.Dispose();
                batch = engine.CreateBatch();
            }

            it.Next();
        }

        batch.DeleteRange(Column.Revisions, KeyLayout.RevisionKey(0, 0), KeyLayout.RevisionKey(compactRevision, 0));
        engine.Write(batch, sync: false);
        batch.Dispose();
        return removed;
    }
}

using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

public sealed partial class LocalStore
{
    private readonly SemaphoreSlim _compactSignal = new(0);
    private readonly Task _compactor;

    /// <summary>Removes compacted versions from disk, in the background, after each compaction.</summary>
    private async Task CompactLoopAsync()
    {
        while (true)
        {
            await _compactSignal.WaitAsync().ConfigureAwait(false);
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var target = Volatile.Read(ref _compactRevision);
            if (target <= _machine.CompactFinished)
            {
                continue;
            }

            try
            {
                Compactor.Run(_engine, target, _stopping.Token);
                _machine.MarkCompactFinished(target);
            }
            catch (OperationCanceledException)
            {
                // Resumed at the next start: the scheduled revision is on disk.
                return;
            }
            catch (DatastoreException e)
            {
                _failure ??= e;
                return;
            }
        }
    }

    public long CurrentRevision => _hub.PublishedRevision;

    public DatastoreStatus GetStatus() =>
        new(_hub.PublishedRevision, Volatile.Read(ref _compactRevision), _engine.TotalSize, _engine.LiveDataSize);

    public Task WriteSnapshotAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ThrowIfStopped();
        return Task.Run(() =>
        {
            using var view = _engine.OpenView();
            SnapshotFormat.Write(view, destination, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Creates a new store directory from a snapshot written by <see cref="WriteSnapshotAsync"/>.
    /// The directory must not exist or be empty; on any error nothing is left behind.</summary>
    public static void RestoreSnapshot(Stream snapshot, string directory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, $"cannot restore into {directory}: the directory is not empty");
        }

        var staging = directory.TrimEnd('/') + ".restoring";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        try
        {
            using (var engine = RocksDbEngine.Open(staging))
            {
                SnapshotFormat.Restore(snapshot, engine);
            }

            if (Directory.Exists(directory))
            {
                Directory.Delete(directory);
            }

            Directory.Move(staging, directory);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    public Task<HashKvResult> HashKvAsync(long revision, CancellationToken cancellationToken = default)
    {
        ThrowIfStopped();
        var published = _hub.PublishedRevision;
        var at = revision <= 0 ? published : revision;
        if (at > published)
        {
            throw DatastoreException.FutureRevision();
        }

        using var view = _engine.OpenView();
        var compacted = Volatile.Read(ref _compactRevision);
        if (at < compacted)
        {
            throw DatastoreException.Compacted();
        }

        return Task.FromResult(new HashKvResult(published, compacted, KvHash.Compute(view, at, compacted)));
    }

    public Task DefragmentAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfStopped();
        return Task.Run(_engine.CompactAll, cancellationToken);
    }
}

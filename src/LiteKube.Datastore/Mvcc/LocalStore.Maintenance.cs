using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

public sealed partial class LocalStore
{
    public long CurrentRevision => _state.PublishedRevision;

    public DatastoreStatus GetStatus() => _state.GetStatus();

    public Task WriteSnapshotAsync(Stream destination, CancellationToken cancellationToken = default) =>
        _state.WriteSnapshotAsync(destination, cancellationToken);

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

    public Task<HashKvResult> HashKvAsync(long revision, CancellationToken cancellationToken = default) =>
        Task.FromResult(_state.HashKv(revision));

    public Task DefragmentAsync(CancellationToken cancellationToken = default) => _state.DefragmentAsync(cancellationToken);
}

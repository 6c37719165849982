using LiteKube.Datastore;
using LiteKube.Datastore.EtcdApi;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.Host;

/// <summary>
/// Restores a snapshot saved with <c>etcdctl snapshot save</c> from a LiteKube server into a data
/// directory that has no datastore yet (the server is stopped; a restore never overwrites data).
/// The restored data founds a new cluster: one voter, this node, over the restored keys.
/// </summary>
public static class SnapshotRestore
{
    public static async Task<DatastoreStatus> RestoreAsync(string snapshotFile, string dataDirectory, CancellationToken cancellationToken)
    {
        var datastore = Path.Combine(Path.GetFullPath(dataDirectory), "db");
        if (!File.Exists(snapshotFile))
        {
            throw new ServerStartupException($"snapshot file {snapshotFile} does not exist");
        }

        if (Directory.Exists(datastore) && Directory.EnumerateFileSystemEntries(datastore).Any())
        {
            throw new ServerStartupException(
                $"{datastore} already holds a datastore; stop litekube and move it away (or choose an empty --data-dir) before restoring");
        }

        DataDirectories.Prepare(dataDirectory);
        var extracted = Path.Combine(dataDirectory, $".restore-{Guid.NewGuid():N}");
        try
        {
            await using (var source = File.OpenRead(snapshotFile))
            await using (var target = File.Create(extracted))
            {
                await EtcdSnapshotFormat.ExtractAsync(source, target, cancellationToken).ConfigureAwait(false);
            }

            await using (var store = File.OpenRead(extracted))
            {
                LocalStore.RestoreSnapshot(store, datastore);
            }

            await using var restored = LocalStore.OpenRocksDb(datastore);
            // A restore founds a new cluster (one voter, as etcdctl snapshot restore does), and
            // its first server records its own CA: this data dir may not hold the old one.
            await restored.DeleteRangeAsync(new DeleteRangeRequest(ClusterAuthorityRecord.Key), cancellationToken).ConfigureAwait(false);
            return restored.GetStatus();
        }
        catch (Exception e) when (e is InvalidDataException or DatastoreException or EndOfStreamException)
        {
            throw new ServerStartupException($"restoring {snapshotFile}: {ServerHost.OneLine(e.Message)}", e);
        }
        finally
        {
            File.Delete(extracted);
        }
    }
}

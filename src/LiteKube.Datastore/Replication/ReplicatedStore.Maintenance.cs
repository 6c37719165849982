namespace LiteKube.Datastore.Replication;

// etcd's Maintenance service over this member's applied state (each member answers for itself).
public sealed partial class ReplicatedStore
{
    public long CurrentRevision => _state.PublishedRevision;

    public DatastoreStatus GetStatus() => _state.GetStatus();

    public Task WriteSnapshotAsync(Stream destination, CancellationToken cancellationToken = default) =>
        _state.WriteSnapshotAsync(destination, cancellationToken);

    public Task<HashKvResult> HashKvAsync(long revision, CancellationToken cancellationToken = default) =>
        Task.FromResult(_state.HashKv(revision));

    public Task DefragmentAsync(CancellationToken cancellationToken = default) => _state.DefragmentAsync(cancellationToken);
}

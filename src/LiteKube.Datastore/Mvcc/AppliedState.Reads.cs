using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

// Reads and maintenance: each on the caller's thread, against a view at the published revision,
// so that nothing the owner has not published is ever seen.
public sealed partial class AppliedState
{
    public RangeResult Range(RangeRequest request)
    {
        TxnValidator.RequireKey(request.Key);
        ThrowIfStopped();
        var published = _hub.PublishedRevision;
        var revision = request.Revision <= 0 ? published : request.Revision;
        if (revision > published)
        {
            throw DatastoreException.FutureRevision();
        }

        using var view = _engine.OpenView();
        // Checked after the view is open: a compaction scheduled later cannot remove what it sees.
        if (revision < Volatile.Read(ref _compactRevision))
        {
            throw DatastoreException.Compacted();
        }

        return RangeReader.Read(view, request, revision, published);
    }

    public LeaseTimeToLiveResult? LeaseTimeToLive(long id, bool includeKeys)
    {
        ThrowIfStopped();
        if (Machine.Leases.TimeToLive(id) is not { } ttl)
        {
            return null;
        }

        var keys = new List<byte[]>();
        if (includeKeys)
        {
            using var view = _engine.OpenView();
            using var it = view.Iterate(Column.LeaseKeys, KeyLayout.LeaseKey(id), KeyLayout.Int64(id + 1));
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                keys.Add(it.Key[8..].ToArray());
            }
        }

        return new LeaseTimeToLiveResult(_hub.PublishedRevision, id, ttl.Remaining, ttl.Granted, keys);
    }

    public LeaseListResult LeaseList()
    {
        ThrowIfStopped();
        return new LeaseListResult(_hub.PublishedRevision, Machine.Leases.Ids());
    }

    public DatastoreStatus GetStatus() =>
        new(_hub.PublishedRevision, Volatile.Read(ref _compactRevision), _engine.TotalSize, _engine.LiveDataSize);

    /// <summary>Writes every column as of now (<see cref="SnapshotFormat"/>); includes the
    /// applied log index, so a replicated member restored from it knows where to resume.</summary>
    public Task WriteSnapshotAsync(Stream destination, CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        return Task.Run(() =>
        {
            using var view = _engine.OpenView();
            SnapshotFormat.Write(view, destination, cancellationToken);
        }, cancellationToken);
    }

    public HashKvResult HashKv(long revision)
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

        return new HashKvResult(published, compacted, KvHash.Compute(view, at, compacted));
    }

    public Task DefragmentAsync(CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        return Task.Run(_engine.CompactAll, cancellationToken);
    }
}

using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>Creating a watch on the stream.</summary>
internal sealed partial class WatchStream
{
    private async Task CreateAsync(EtcdPb.WatchCreateRequest create, CancellationToken token)
    {
        var currentRevision = maintenance.CurrentRevision;
        var refusal = CheckCreate(create);
        long id;
        lock (gate)
        {
            id = create.WatchId;
            if (id == 0)
            {
                // As etcd: 0 asks the server to pick, starting at 0 and skipping ids in use.
                while (watches.ContainsKey(nextWatchId))
                {
                    nextWatchId++;
                }

                id = nextWatchId++;
            }
            else if (watches.ContainsKey(id))
            {
                refusal ??= "mvcc: duplicate watch ID provided on the WatchStream";
            }
        }

        if (refusal is not null)
        {
            // As etcd: a watch that cannot start is answered created and canceled at once, with
            // the reason, rather than by ending a stream that other watches share.
            await outgoing.Writer.WriteAsync(new EtcdPb.WatchResponse
            {
                Header = headers.Create(currentRevision),
                WatchId = id,
                Created = true,
                Canceled = true,
                CancelReason = refusal,
            }, token).ConfigureAwait(false);
            return;
        }

        IWatch watch;
        try
        {
            watch = store.Watch(ToStoreRequest(create, currentRevision));
        }
        catch (DatastoreException exception) when (exception.Error == DatastoreError.Compacted)
        {
            await WriteCreatedAsync(id, currentRevision, token).ConfigureAwait(false);
            await outgoing.Writer.WriteAsync(new EtcdPb.WatchResponse
            {
                Header = headers.Create(currentRevision),
                WatchId = id,
                Canceled = true,
                CompactRevision = maintenance.GetStatus().CompactRevision,
                CancelReason = exception.Message,
            }, token).ConfigureAwait(false);
            return;
        }

        var active = new ActiveWatch(id, watch, token);
        lock (gate)
        {
            watches.Add(id, active);
        }

        await WriteCreatedAsync(id, currentRevision, token).ConfigureAwait(false);
        active.Pump = PumpAsync(active);
    }

    private ValueTask WriteCreatedAsync(long id, long revision, CancellationToken token) =>
        outgoing.Writer.WriteAsync(
            new EtcdPb.WatchResponse { Header = headers.Create(revision), WatchId = id, Created = true }, token);

    /// <summary>Returns why the watch is refused, or null.</summary>
    private static string? CheckCreate(EtcdPb.WatchCreateRequest create)
    {
        if (create.Key.IsEmpty)
        {
            return DatastoreException.EmptyKey().Message;
        }

        foreach (var filter in create.Filters)
        {
            if (!Enum.IsDefined(filter))
            {
                return $"litekube: watch filter {(int)filter} is not supported";
            }
        }

        return null;
    }

    /// <summary>A start revision of 0 means "after the current revision"; it is pinned here to the
    /// revision the created response reports, so the client knows exactly where events begin.
    /// fragment is accepted as it is: LiteKube never needs to split a response.</summary>
    private static WatchRequest ToStoreRequest(EtcdPb.WatchCreateRequest create, long currentRevision)
    {
        var noPut = false;
        var noDelete = false;
        foreach (var filter in create.Filters)
        {
            noPut |= filter == EtcdPb.WatchCreateRequest.Types.FilterType.Noput;
            noDelete |= filter == EtcdPb.WatchCreateRequest.Types.FilterType.Nodelete;
        }

        return new WatchRequest(ByteStrings.ToArray(create.Key), ByteStrings.ToRangeEnd(create.RangeEnd))
        {
            StartRevision = create.StartRevision > 0 ? create.StartRevision : currentRevision + 1,
            PrevKv = create.PrevKv,
            NoPut = noPut,
            NoDelete = noDelete,
            ProgressNotify = create.ProgressNotify,
        };
    }
}

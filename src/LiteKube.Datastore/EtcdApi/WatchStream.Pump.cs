using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>Forwarding one watch's batches to the stream.</summary>
internal sealed partial class WatchStream
{
    private async Task PumpAsync(ActiveWatch active)
    {
        // Run the loop off the request loop's stack: the caller must not wait for the first batch.
        await Task.Yield();
        var token = active.Token;
        try
        {
            var batches = active.Watch.Batches;
            while (await batches.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (batches.TryRead(out var batch))
                {
                    if (batch.Canceled)
                    {
                        await EndFromPumpAsync(active, batch, token).ConfigureAwait(false);
                        return;
                    }

                    var response = batch.Events.Count == 0 ? OnProgress(active, batch.Revision) : ToEventsResponse(active.Id, batch);
                    if (response is not null)
                    {
                        await outgoing.Writer.WriteAsync(response, token).ConfigureAwait(false);
                    }
                }
            }

            // The store closed the watch without saying why (it is shutting down).
            await EndFromPumpAsync(active, null, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped by a cancel request or the end of the stream.
        }
        catch (ChannelClosedException)
        {
            // The stream is closing.
        }
        catch (Exception exception)
        {
            LogPumpFailed(logger, active.Id, exception);
            await EndFromPumpAsync(active, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task EndFromPumpAsync(ActiveWatch active, WatchBatch? batch, CancellationToken token)
    {
        if (!TryRemoveFromPump(active, out var completed))
        {
            return;
        }

        try
        {
            await WriteAllAsync(completed, token).ConfigureAwait(false);
            await outgoing.Writer.WriteAsync(new EtcdPb.WatchResponse
            {
                Header = headers.Create(batch?.Revision ?? maintenance.CurrentRevision),
                WatchId = active.Id,
                Canceled = true,
                CompactRevision = batch?.CompactRevision ?? 0,
                CancelReason = batch?.CancelReason ?? (batch?.CompactRevision > 0 ? DatastoreException.Compacted().Message : ""),
            }, token).ConfigureAwait(false);
        }
        finally
        {
            await active.ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>An empty batch answers the oldest progress request this watch owes; with none
    /// owed it is the watch's own periodic notification (progress_notify), sent under its id.</summary>
    private EtcdPb.WatchResponse? OnProgress(ActiveWatch active, long revision)
    {
        lock (gate)
        {
            if (active.PendingRounds.TryDequeue(out var round))
            {
                return round.Report(revision) ? ProgressResponse(round.Revision) : null;
            }
        }

        return new EtcdPb.WatchResponse { Header = headers.Create(revision), WatchId = active.Id };
    }

    private EtcdPb.WatchResponse ToEventsResponse(long watchId, WatchBatch batch)
    {
        var response = new EtcdPb.WatchResponse { Header = headers.Create(batch.Revision), WatchId = watchId };
        var events = batch.Events;
        response.Events.Capacity = events.Count;
        for (var i = 0; i < events.Count; i++)
        {
            response.Events.Add(KvResponseConverter.ToProto(events[i]));
        }

        return response;
    }

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "etcd watch {WatchId}: forwarding events failed; canceling the watch")]
    private static partial void LogPumpFailed(ILogger logger, long watchId, Exception exception);
}

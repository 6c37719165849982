using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>
/// One Watch RPC: many watches multiplexed on one bidirectional stream, as etcd's v3rpc
/// serverWatchStream. The request loop creates and cancels watches; one pump per watch turns
/// its batches into responses; one writer sends every response, so writes never overlap.
/// </summary>
/// <remarks>
/// Ordering guarantees: a watch's "created" response precedes its events (the pump starts
/// after it is queued); nothing of a watch follows its "canceled" response (the pump is
/// stopped before it is queued); a progress response follows every event up to its revision.
/// Lock order: <see cref="gate"/> is never held while awaiting or calling out, except for
/// <see cref="IWatch.RequestProgress"/>, which only signals the store.
/// </remarks>
internal sealed partial class WatchStream(
    IKeyValueStore store, IDatastoreMaintenance maintenance, ResponseHeaderFactory headers, ILogger logger)
{
    /// <summary>etcd's progress responses belong to no single watch.</summary>
    private const long StreamWideWatchId = -1;

    /// <summary>Bounds what a slow client can make us hold; past it pumps wait, and the store
    /// deals with its slow watchers as it does for any other consumer.</summary>
    private const int OutgoingCapacity = 256;

    private readonly Channel<EtcdPb.WatchResponse> outgoing = Channel.CreateBounded<EtcdPb.WatchResponse>(
        new BoundedChannelOptions(OutgoingCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Lock gate = new();

    // Guarded by gate.
    private readonly Dictionary<long, ActiveWatch> watches = [];
    private long nextWatchId;

    public async Task RunAsync(
        IAsyncStreamReader<EtcdPb.WatchRequest> requests,
        IServerStreamWriter<EtcdPb.WatchResponse> responses,
        CancellationToken callToken)
    {
        using var streamStop = CancellationTokenSource.CreateLinkedTokenSource(callToken);
        var token = streamStop.Token;
        var writer = WriteLoopAsync(responses, streamStop);
        try
        {
            while (await requests.MoveNext(token).ConfigureAwait(false))
            {
                await HandleAsync(requests.Current, token).ConfigureAwait(false);
            }

            // As etcd: a client that half-closes keeps its watches until it goes away.
            await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client went away or the writer failed: either way the stream is over.
        }
        finally
        {
            await streamStop.CancelAsync().ConfigureAwait(false);
            await CloseAllAsync().ConfigureAwait(false);
            outgoing.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }
    }

    private Task HandleAsync(EtcdPb.WatchRequest request, CancellationToken token) => request.RequestUnionCase switch
    {
        EtcdPb.WatchRequest.RequestUnionOneofCase.CreateRequest => CreateAsync(request.CreateRequest, token),
        EtcdPb.WatchRequest.RequestUnionOneofCase.CancelRequest => CancelAsync(request.CancelRequest.WatchId, token),
        EtcdPb.WatchRequest.RequestUnionOneofCase.ProgressRequest => RequestProgressAsync(token),
        // As etcd: an empty request is not worth ending a stream that carries other watches.
        _ => Task.CompletedTask,
    };

    /// <summary>As etcd, an unknown id is not an error and gets no response.</summary>
    private async Task CancelAsync(long watchId, CancellationToken token)
    {
        ActiveWatch? active;
        List<EtcdPb.WatchResponse>? completed;
        lock (gate)
        {
            if (!watches.Remove(watchId, out active))
            {
                return;
            }

            completed = ReleaseRounds(active);
        }

        await active.StopAsync().ConfigureAwait(false);
        await WriteAllAsync(completed, token).ConfigureAwait(false);
        await outgoing.Writer.WriteAsync(
            new EtcdPb.WatchResponse { Header = headers.CreateCurrent(), WatchId = watchId, Canceled = true }, token)
            .ConfigureAwait(false);
    }

    private async Task RequestProgressAsync(CancellationToken token)
    {
        lock (gate)
        {
            if (watches.Count > 0)
            {
                var round = new ProgressRound(watches.Count);
                foreach (var active in watches.Values)
                {
                    active.PendingRounds.Enqueue(round);
                    active.Watch.RequestProgress();
                }

                return;
            }
        }

        await outgoing.Writer.WriteAsync(ProgressResponse(maintenance.CurrentRevision), token).ConfigureAwait(false);
    }

    private async Task CloseAllAsync()
    {
        ActiveWatch[] all;
        lock (gate)
        {
            all = [.. watches.Values];
            watches.Clear();
        }

        foreach (var active in all)
        {
            await active.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Removes a watch whose pump is ending on its own; false if someone else already did.</summary>
    private bool TryRemoveFromPump(ActiveWatch active, out List<EtcdPb.WatchResponse>? completed)
    {
        lock (gate)
        {
            if (watches.TryGetValue(active.Id, out var current) && ReferenceEquals(current, active))
            {
                watches.Remove(active.Id);
                completed = ReleaseRounds(active);
                return true;
            }
        }

        completed = null;
        return false;
    }

    /// <summary>Call under gate. Rounds the watch still owed no longer wait for it.</summary>
    private List<EtcdPb.WatchResponse>? ReleaseRounds(ActiveWatch active)
    {
        List<EtcdPb.WatchResponse>? completed = null;
        while (active.PendingRounds.TryDequeue(out var round))
        {
            if (round.Release())
            {
                var revision = round.Revision == long.MaxValue ? maintenance.CurrentRevision : round.Revision;
                (completed ??= []).Add(ProgressResponse(revision));
            }
        }

        return completed;
    }

    private EtcdPb.WatchResponse ProgressResponse(long revision) =>
        new() { Header = headers.Create(revision), WatchId = StreamWideWatchId };

    private async Task WriteAllAsync(List<EtcdPb.WatchResponse>? responses, CancellationToken token)
    {
        if (responses is null)
        {
            return;
        }

        foreach (var response in responses)
        {
            await outgoing.Writer.WriteAsync(response, token).ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync(IServerStreamWriter<EtcdPb.WatchResponse> responses, CancellationTokenSource streamStop)
    {
        var token = streamStop.Token;
        var reader = outgoing.Reader;
        var buffered = new WriteOptions(WriteFlags.BufferHint);
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var response))
                {
                    // Responses already queued share one flush: only the last of a burst flushes.
                    responses.WriteOptions = reader.Count > 0 ? buffered : null;
                    await responses.WriteAsync(response, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The stream is over.
        }
        catch (Exception exception)
        {
            LogWriteFailed(logger, exception);
            await streamStop.CancelAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "etcd watch stream: sending a response failed; closing the stream")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}

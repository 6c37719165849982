using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.External;

/// <summary>
/// One etcd watch on its own gRPC stream, re-established on the next member whenever the stream
/// breaks (member down, no leader, connection lost), from the revision after the last event it
/// delivered: every revision arrives once, in order, across any number of members.
/// </summary>
/// <remarks>
/// Only events move the resume point. A progress notification does not, because etcd before
/// 3.4.24 may send one ahead of events still queued for the watch; resuming after it could skip
/// them. The stream asks for "require leader" (etcd's <c>hasleader</c> metadata), so a member cut
/// off from its cluster ends the watch instead of silently serving nothing.
/// </remarks>
internal sealed class ExternalWatch : IWatch
{
    private static readonly Metadata RequireLeader = new() { { "hasleader", "true" } };
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);
    private readonly WatchRequest request;
    private readonly EtcdEndpointPool pool;
    private readonly ExternalStoreOptions options;
    private readonly ILogger logger;
    private readonly Action<ExternalWatch> onClosed;
    private readonly Channel<WatchBatch> batches = Channel.CreateUnbounded<WatchBatch>(new UnboundedChannelOptions { SingleWriter = true });
    private static readonly TimeSpan ProgressRetryInterval = TimeSpan.FromSeconds(1);
    private readonly Channel<bool> progressRequests = Channel.CreateUnbounded<bool>();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    /// <summary>The revision the next stream starts from; 0 until etcd has told the current one.</summary>
    private long resumeFrom;
    private int progressOutstanding;

    public ExternalWatch(WatchRequest request, long startRevision, EtcdEndpointPool pool, ExternalStoreOptions options, ILogger logger, Action<ExternalWatch> onClosed)
    {
        this.request = request;
        this.pool = pool;
        this.options = options;
        this.logger = logger;
        this.onClosed = onClosed;
        resumeFrom = startRevision;
        loop = Task.Run(RunAsync);
    }

    public ChannelReader<WatchBatch> Batches => batches.Reader;

    public void RequestProgress()
    {
        Volatile.Write(ref progressOutstanding, 1);
        progressRequests.Writer.TryWrite(true);
    }

    private async Task RunAsync()
    {
        var delay = options.WatchRetryDelay;
        var resumed = false;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var ticket = pool.Current;
                var endpoint = pool.Endpoint(ticket);
                try
                {
                    if (resumed)
                    {
                        ExternalStoreLog.WatchResumed(logger, endpoint, resumeFrom);
                    }
                    if (await StreamAsync(pool.Channel(ticket), () => delay = options.WatchRetryDelay))
                    {
                        return;
                    }
                    ExternalStoreLog.WatchBroken(logger, endpoint, "the member ended the stream", delay.TotalMilliseconds);
                }
                catch (RpcException e) when (!stop.IsCancellationRequested)
                {
                    ExternalStoreLog.WatchBroken(logger, endpoint, $"{e.StatusCode}: {e.Status.Detail}", delay.TotalMilliseconds);
                }

                pool.MoveOn(ticket);
                resumed = true;
                await Task.Delay(delay, options.Time, stop.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RpcException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            batches.Writer.TryComplete();
            onClosed(this);
        }
    }

    /// <summary>Runs one stream until it breaks (false: resume elsewhere) or the watch ends (true).</summary>
    private async Task<bool> StreamAsync(Grpc.Net.Client.GrpcChannel channel, Action healthy)
    {
        using var call = new EtcdPb.Watch.WatchClient(channel).Watch(new CallOptions(RequireLeader, cancellationToken: stop.Token));
        var start = Interlocked.Read(ref resumeFrom);
        await call.RequestStream.WriteAsync(new EtcdPb.WatchRequest { CreateRequest = ProtoRequests.WatchCreate(request, start) }, stop.Token);
        using var streamEnded = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var writer = Task.Run(() => SendProgressRequestsAsync(call.RequestStream, streamEnded.Token));
        try
        {
            while (await call.ResponseStream.MoveNext(stop.Token))
            {
                var response = call.ResponseStream.Current;
                if (response.Created && !response.Canceled)
                {
                    // A watch "from now" resumes after the revision it was created at.
                    Interlocked.CompareExchange(ref resumeFrom, response.Header.Revision + 1, 0);
                    healthy();
                    if (Volatile.Read(ref progressOutstanding) != 0)
                    {
                        progressRequests.Writer.TryWrite(true);
                    }
                    continue;
                }

                if (response.Canceled)
                {
                    if (response.CompactRevision == 0 && IsLeaderLoss(response.CancelReason))
                    {
                        return false;
                    }
                    batches.Writer.TryWrite(new WatchBatch(response.Header.Revision, [])
                    {
                        Canceled = true,
                        CompactRevision = response.CompactRevision,
                        CancelReason = response.CompactRevision != 0
                            ? "etcdserver: mvcc: required revision has been compacted"
                            : response.CancelReason,
                    });
                    return true;
                }

                Deliver(response);
            }
            return stop.IsCancellationRequested;
        }
        finally
        {
            await streamEnded.CancelAsync();
            await writer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void Deliver(EtcdPb.WatchResponse response)
    {
        if (response.Events.Count == 0)
        {
            Volatile.Write(ref progressOutstanding, 0);
            batches.Writer.TryWrite(new WatchBatch(response.Header.Revision, []));
            return;
        }

        var events = new WatchEvent[response.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = ProtoResults.Event(response.Events[i]);
        }
        Interlocked.Exchange(ref resumeFrom, events[^1].Kv.ModRevision + 1);
        batches.Writer.TryWrite(new WatchBatch(Math.Max(response.Header.Revision, events[^1].Kv.ModRevision), events));
    }

    private async Task SendProgressRequestsAsync(IClientStreamWriter<EtcdPb.WatchRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            while (Volatile.Read(ref progressOutstanding) != 0 || await progressRequests.Reader.WaitToReadAsync(cancellationToken))
            {
                while (progressRequests.Reader.TryRead(out _))
                {
                }
                if (Volatile.Read(ref progressOutstanding) == 0)
                {
                    continue;
                }

                await requests.WriteAsync(new EtcdPb.WatchRequest { ProgressRequest = new EtcdPb.WatchProgressRequest() }, cancellationToken);
                // A request can go unanswered (sent while the stream was being replaced, or
                // dropped by an etcd whose watcher is not synced yet, as 3.5.8+ does): until a
                // notification arrives, ask again every second.
                using var retry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                retry.CancelAfter(ProgressRetryInterval);
                try
                {
                    await progressRequests.Reader.WaitToReadAsync(retry.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException)
        {
            // The stream ended; an outstanding request is sent again on the next stream.
        }
    }

    private static bool IsLeaderLoss(string reason) =>
        reason.Contains("no leader", StringComparison.Ordinal) || reason.Contains("leader changed", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
        {
            await loop;
            return;
        }

        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}

using Grpc.Core;
using Grpc.Net.Client;
using LiteKube.Datastore.Raft;
using RaftPb = LiteKube.Datastore.Protos.Raftpb;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// The sending side towards one peer: its queue, the long-lived message stream (opened on first
/// use, reopened after a failure with doubling back-off, meanwhile messages are dropped and the
/// peer reported unreachable) and its snapshot uploads. Only the queue's drain task touches the
/// stream; the channel is shared with snapshot uploads.
/// </summary>
internal sealed class GrpcPeer : IAsyncDisposable
{
    private readonly GrpcRaftTransport owner;
    private readonly Lock channelGate = new();
    private volatile string address;
    private GrpcChannel? channel;
    private string? channelAddress;
    private AsyncClientStreamingCall<RaftPb.MessageBatch, RaftPb.StreamAck>? call;
    private string? callAddress;
    private TimeSpan delay;
    private long retryAt;

    public GrpcPeer(GrpcRaftTransport owner, ulong id, string address)
    {
        this.owner = owner;
        Id = id;
        this.address = address;
        delay = owner.Options.MinReconnectDelay;
        Queue = new PeerQueue(owner.Options.Limits.QueueCapacity, owner.Options.Limits.MaxBatchMessages, SendBatchAsync);
        Snapshots = new SnapshotSender(message => new SnapshotUpload(owner, this).SendAsync(message));
    }

    public ulong Id { get; }

    public string Address
    {
        get => address;
        set => address = value;
    }

    public PeerQueue Queue { get; }

    public SnapshotSender Snapshots { get; }

    /// <summary>The channel to the peer's current address (a new one if it moved).</summary>
    public GrpcChannel Channel()
    {
        lock (channelGate)
        {
            var current = address;
            if (channel is null || channelAddress != current)
            {
                channel?.Dispose();
                channel = owner.Options.Channels.Create(current);
                channelAddress = current;
            }
            return channel;
        }
    }

    private async ValueTask SendBatchAsync(IReadOnlyList<Message> batch, CancellationToken cancellation)
    {
        var time = owner.Options.Time;
        if (time.GetTimestamp() < Interlocked.Read(ref retryAt))
        {
            owner.Reports.ReportUnreachable(Id);
            return;
        }
        try
        {
            var stream = OpenCall();
            var request = new RaftPb.MessageBatch();
            var bytes = 0;
            foreach (var message in batch)
            {
                var proto = RaftMessageCodec.ToProto(message);
                request.Messages.Add(proto);
                bytes += proto.CalculateSize();
                if (bytes >= owner.Options.MaxBatchBytes)
                {
                    await stream.RequestStream.WriteAsync(request, cancellation).ConfigureAwait(false);
                    request = new RaftPb.MessageBatch();
                    bytes = 0;
                }
            }
            if (request.Messages.Count > 0)
            {
                await stream.RequestStream.WriteAsync(request, cancellation).ConfigureAwait(false);
            }
            delay = owner.Options.MinReconnectDelay;
        }
        catch (Exception error) when (!cancellation.IsCancellationRequested)
        {
            CloseCall();
            owner.Logger.StreamFailed(Id, address, delay, error);
            Interlocked.Exchange(ref retryAt, time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency));
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, owner.Options.MaxReconnectDelay.Ticks));
            owner.Reports.ReportUnreachable(Id);
        }
    }

    /// <summary>The open stream, or a new one if there is none, the peer moved, or the server
    /// ended the last one (it refused us, or restarted).</summary>
    private AsyncClientStreamingCall<RaftPb.MessageBatch, RaftPb.StreamAck> OpenCall()
    {
        if (call is not null && (call.ResponseAsync.IsCompleted || callAddress != address))
        {
            var ended = call.ResponseAsync.IsCompleted ? call.GetStatus() : Status.DefaultSuccess;
            CloseCall();
            if (ended.StatusCode != StatusCode.OK)
            {
                throw new RpcException(ended);
            }
        }
        if (call is null)
        {
            var client = new RaftPb.RaftTransport.RaftTransportClient(Channel());
            callAddress = address;
            call = client.Stream(new CallOptions(owner.CallHeaders, cancellationToken: owner.Stopping));
            // A stream the peer ends (it stopped, or refused us) is reported at once, not only
            // when the next write fails: Raft then probes instead of streaming into the void.
            call.ResponseAsync.ContinueWith(
                static (ended, state) =>
                {
                    var (peer, stopping) = ((GrpcPeer, CancellationToken))state!;
                    if (ended.IsFaulted && !stopping.IsCancellationRequested)
                    {
                        peer.owner.Reports.ReportUnreachable(peer.Id);
                    }
                },
                (this, owner.Stopping), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return call;
    }

    private void CloseCall()
    {
        call?.Dispose();
        call = null;
    }

    public async ValueTask DisposeAsync()
    {
        await Queue.DisposeAsync().ConfigureAwait(false);
        await Snapshots.DisposeAsync().ConfigureAwait(false);
        CloseCall();
        lock (channelGate)
        {
            channel?.Dispose();
            channel = null;
        }
    }
}

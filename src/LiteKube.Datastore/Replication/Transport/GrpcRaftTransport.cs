using System.Collections.Concurrent;
using Grpc.Core;
using LiteKube.Datastore.Raft;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// <see cref="IRaftTransport"/> over gRPC on the cluster port. Sending: per peer one long-lived
/// client stream carrying batches of messages in order, fed by a bounded queue (see
/// <see cref="GrpcPeer"/>), and a separate chunked, checksummed call per snapshot. Receiving:
/// <see cref="RaftTransportService"/>, mapped by the host with
/// <see cref="RaftTransportEndpoints.MapRaftTransport"/>, hands what arrives to the handler.
/// </summary>
public sealed class GrpcRaftTransport : IRaftTransport
{
    private readonly ConcurrentDictionary<ulong, GrpcPeer> peers = new();
    private readonly CancellationTokenSource stop = new();
    private IRaftMessageHandler? handler;
    private volatile bool disposed;

    public GrpcRaftTransport(GrpcRaftTransportOptions options, ISnapshotSource snapshots, ILogger<GrpcRaftTransport>? logger = null)
    {
        options.Validate();
        Options = options;
        Snapshots = snapshots;
        Logger = logger ?? NullLogger<GrpcRaftTransport>.Instance;
        CallHeaders = ClusterIdHeader.For(options.ClusterId);
    }

    public GrpcRaftTransportOptions Options { get; }

    internal ISnapshotSource Snapshots { get; }

    internal ILogger Logger { get; }

    internal Metadata CallHeaders { get; }

    internal CancellationToken Stopping => stop.Token;

    /// <summary>The handler, once started; reports go to it.</summary>
    internal IRaftMessageHandler Reports => handler!;

    public void Start(IRaftMessageHandler messageHandler)
    {
        ArgumentNullException.ThrowIfNull(messageHandler);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (Interlocked.CompareExchange(ref handler, messageHandler, null) is not null)
        {
            throw new InvalidOperationException("the transport is already started");
        }
    }

    public void Send(IReadOnlyList<Message> messages)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var reports = handler ?? throw new InvalidOperationException("Start the transport before sending");
        foreach (var message in messages)
        {
            if (!peers.TryGetValue(message.To, out var peer))
            {
                ReportLater(reports, message.To);
            }
            else if (message.Type == MessageType.Snapshot)
            {
                peer.Snapshots.Post(message);
            }
            else if (!peer.Queue.TryEnqueue(message))
            {
                ReportLater(reports, message.To);
            }
        }
    }

    public void SetPeer(ulong id, string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ObjectDisposedException.ThrowIf(disposed, this);
        var peer = peers.GetOrAdd(id, key => new GrpcPeer(this, key, address));
        peer.Address = address;
    }

    public void RemovePeer(ulong id)
    {
        if (peers.TryRemove(id, out var peer))
        {
            // Not awaited: RemovePeer is called from the host's loop and must not wait for a send.
            _ = peer.DisposeAsync().AsTask();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        await stop.CancelAsync().ConfigureAwait(false);
        foreach (var peer in peers.Values)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
        }
        peers.Clear();
    }

    /// <summary>The handler for an incoming call, after checking that this member takes it.</summary>
    internal IRaftMessageHandler Accept(ServerCallContext context)
    {
        ClusterIdHeader.Check(context.RequestHeaders, Options.ClusterId);
        return AcceptingHandler();
    }

    /// <summary>The handler while this transport runs; throws Unavailable once it stopped.</summary>
    internal IRaftMessageHandler AcceptingHandler()
    {
        var current = handler;
        if (disposed || current is null)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the Raft transport of member {Options.MemberId:x} is not running"));
        }
        return current;
    }

    /// <summary>Reports from Send go through the thread pool: the caller is the host's loop, which
    /// must not be re-entered from inside Send.</summary>
    private static void ReportLater(IRaftMessageHandler reports, ulong id) =>
        ThreadPool.QueueUserWorkItem(static state => state.reports.ReportUnreachable(state.id), (reports, id), preferLocal: false);
}

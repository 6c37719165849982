using System.Collections.Concurrent;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// <see cref="IRaftTransport"/> between members of one process, through an
/// <see cref="InMemoryRaftHub"/>. It keeps the real transport's shape: per peer an ordered bounded
/// queue drained by its own task (a receiver that blocks stalls only its senders' queues), and
/// snapshot payloads travel as files (the source's stream is copied to a temp file the receiver
/// then owns). Messages are passed by reference: they are immutable records.
/// </summary>
public sealed class InMemoryRaftTransport : IRaftTransport
{
    private readonly InMemoryRaftHub hub;
    private readonly ISnapshotSource snapshots;
    private readonly RaftTransportOptions options;
    private readonly ConcurrentDictionary<ulong, Peer> peers = new();
    private readonly CancellationTokenSource stop = new();
    private IRaftMessageHandler? handler;
    private volatile bool disposed;

    internal InMemoryRaftTransport(InMemoryRaftHub hub, string address, ISnapshotSource snapshots, RaftTransportOptions options)
    {
        options.Validate();
        this.hub = hub;
        Address = address;
        this.snapshots = snapshots;
        this.options = options;
    }

    public string Address { get; }

    internal bool IsAccepting => handler is not null && !disposed;

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
        var peer = peers.GetOrAdd(id, key => new Peer(this, key, address));
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
        hub.Leave(this);
        await stop.CancelAsync().ConfigureAwait(false);
        foreach (var peer in peers.Values)
        {
            await peer.DisposeAsync().ConfigureAwait(false);
        }
        peers.Clear();
    }

    /// <summary>Reports from Send go through the thread pool: the caller is the host's loop, which
    /// must not be re-entered from inside Send.</summary>
    private static void ReportLater(IRaftMessageHandler reports, ulong id) =>
        ThreadPool.QueueUserWorkItem(static state => state.reports.ReportUnreachable(state.id), (reports, id), preferLocal: false);

    /// <summary>Hands a message to this member's handler; false when it no longer accepts any.</summary>
    private bool Deliver(Message message, string? payload)
    {
        var target = handler;
        if (disposed || target is null)
        {
            return false;
        }
        target.Receive(message, payload);
        return true;
    }

    private ValueTask SendBatchAsync(Peer peer, IReadOnlyList<Message> batch, CancellationToken cancellation)
    {
        var reports = handler!;
        var target = hub.Find(peer.Address);
        foreach (var message in batch)
        {
            cancellation.ThrowIfCancellationRequested();
            if (hub.ShouldDrop(message))
            {
                continue;
            }
            if (target is null || hub.IsCut(message.From, message.To) || !target.Deliver(message, null))
            {
                // A real connection fails once for the whole batch.
                reports.ReportUnreachable(peer.Id);
                return ValueTask.CompletedTask;
            }
        }
        return ValueTask.CompletedTask;
    }

    private async Task SendSnapshotAsync(Peer peer, Message message, CancellationToken cancellation)
    {
        var reports = handler!;
        string? temp = null;
        try
        {
            if (message.Snapshot is null)
            {
                throw new ArgumentException("a snapshot message without snapshot metadata");
            }
            var target = hub.Find(peer.Address);
            if (target is null || hub.IsCut(message.From, message.To))
            {
                reports.ReportUnreachable(peer.Id);
                throw new IOException($"peer {peer.Id} is unreachable");
            }
            // Spooled where the receiver keeps its payloads, as the gRPC receiver does.
            temp = SnapshotSpool.NewTempPath(target.options.SnapshotDirectory);
            await using (var payload = snapshots.OpenPayload(message.Snapshot))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await payload.CopyToAsync(file, cancellation).ConfigureAwait(false);
            }
            if (hub.ShouldDrop(message))
            {
                throw new IOException("the snapshot was lost on the way");
            }
            var path = SnapshotSpool.Complete(temp);
            temp = null;
            if (!target.Deliver(message, path))
            {
                SnapshotSpool.TryDelete(path);
                reports.ReportUnreachable(peer.Id);
                throw new IOException($"peer {peer.Id} stopped");
            }
            reports.ReportSnapshot(peer.Id, failed: false);
        }
        catch (Exception) when (!cancellation.IsCancellationRequested)
        {
            reports.ReportSnapshot(peer.Id, failed: true);
        }
        finally
        {
            if (temp is not null)
            {
                SnapshotSpool.TryDelete(temp);
            }
        }
    }

    private sealed class Peer : IAsyncDisposable
    {
        private volatile string address;

        public Peer(InMemoryRaftTransport owner, ulong id, string address)
        {
            Id = id;
            this.address = address;
            Queue = new PeerQueue(owner.options.QueueCapacity, owner.options.MaxBatchMessages,
                (batch, cancellation) => owner.SendBatchAsync(this, batch, cancellation));
            Snapshots = new SnapshotSender(message => owner.SendSnapshotAsync(this, message, owner.stop.Token));
        }

        public ulong Id { get; }

        public string Address
        {
            get => address;
            set => address = value;
        }

        public PeerQueue Queue { get; }

        public SnapshotSender Snapshots { get; }

        public async ValueTask DisposeAsync()
        {
            await Queue.DisposeAsync().ConfigureAwait(false);
            await Snapshots.DisposeAsync().ConfigureAwait(false);
        }
    }
}

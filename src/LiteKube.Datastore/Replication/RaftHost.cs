using System.Collections.Concurrent;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication;

/// <summary>
/// Drives one <see cref="RaftNode"/> on one loop thread, exactly as <c>Raft/README.md</c> says:
/// for each Ready, persist (synced) before sending (a leader may send first: Ready.MessagesMayPrecedeWrite),
/// send, apply, answer reads, then Advance.
/// Everything else — ticks from the injected clock, messages and reports from the transport,
/// proposals and reads from callers — is queued into the loop and runs there, so the core is
/// only ever touched by that thread.
/// </summary>
/// <remarks>
/// What it does not do: it never retries a proposal (the caller decides whether that is safe),
/// and after a failed disk write it stops for good: the log on disk may no longer match what
/// the core believes, so continuing could acknowledge what a restart would not have.
/// </remarks>
public sealed partial class RaftHost : IRaftMessageHandler, IAsyncDisposable
{
    private readonly RaftHostOptions _options;
    private readonly IRaftLogStore _log;
    private readonly IRaftTransport _transport;
    private readonly IRaftApplication _app;
    private readonly RaftNode _node;
    private readonly BlockingCollection<Action> _inbox = new(new ConcurrentQueue<Action>());
    private readonly Thread _loop;
    private readonly ITimer _ticker;
    // Received snapshot payloads by (index, term), until the core installs or drops them (loop thread only).
    private readonly Dictionary<(ulong Index, ulong Term), string> _payloads = [];
    private ConfState _membership;
    private volatile Exception? _failure;
    private volatile bool _stopping;

    public RaftHost(RaftHostOptions options, IRaftLogStore log, IRaftTransport transport, IRaftApplication app)
    {
        _options = options;
        _log = log;
        _transport = transport;
        _app = app;
        _node = new RaftNode(new RaftConfig
        {
            Id = options.Id,
            Storage = log,
            Random = options.Seed is { } seed ? new Random(seed) : new Random(),
            ElectionTick = options.ElectionTicks,
            HeartbeatTick = options.HeartbeatTicks,
            // The membership the log reports is the snapshot's; later entries are applied again
            // and the application skips those its state already holds.
            Applied = log.Snapshot().Index,
        });
        _membership = _node.ConfState;
        Status = Snapshot();
        _loop = new Thread(Run) { IsBackground = true, Name = $"litekube-raft-{options.Id:x}" };
        _ticker = options.Time.CreateTimer(_ => Post(Tick), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public ulong Id => _options.Id;

    /// <summary>The host's latest view of the core, refreshed after every Ready (any thread).</summary>
    public RaftStatus Status { get; private set; }

    /// <summary>Set when the host stopped after a failure.</summary>
    public Exception? Failure => _failure;

    /// <summary>Starts the loop, the transport and the ticks. A lone voter campaigns at once
    /// rather than waiting out an election timeout.</summary>
    public void Start()
    {
        _app.MembershipChanged(_membership);
        // The transport first: the loop may send as soon as it runs.
        _transport.Start(this);
        _loop.Start();
        if (_membership.Voters is [var only] && only == Id && _membership.Learners.Count == 0)
        {
            Post(() => _node.Campaign());
        }

        _ticker.Change(_options.TickInterval, _options.TickInterval);
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread with the core; false when the
    /// host has stopped. The action must not block.</summary>
    public bool Post(Action<RaftNode> action) => Post(() => action(_node));

    private bool Post(Action action)
    {
        if (_stopping || _failure is not null)
        {
            return false;
        }

        try
        {
            _inbox.Add(action);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // completed: stopping
        }
    }

    private void Tick()
    {
        _node.Tick();
        _app.Ticked();
    }

    /// <summary>When a message from <paramref name="id"/> last arrived, or null if none has
    /// since this host started. On the leader every live member answers each heartbeat.</summary>
    public DateTimeOffset? LastHeardFrom(ulong id) => _heard.TryGetValue(id, out var at) ? at : null;

    public void Receive(Message message, string? snapshotPayload) => Post(() =>
    {
        _heard[message.From] = _options.Time.GetUtcNow();
        if (message.To != Id)
        {
            return; // misaddressed (a peer with stale addresses): not ours to handle
        }

        if (snapshotPayload is not null && message.Snapshot is { } snapshot)
        {
            if (_payloads.Remove((snapshot.Index, snapshot.Term), out var older))
            {
                TryDelete(older);
            }

            _payloads[(snapshot.Index, snapshot.Term)] = snapshotPayload;
        }

        _node.Step(message);
    });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, DateTimeOffset> _heard = new();

    public void ReportUnreachable(ulong id) => Post(() => _node.ReportUnreachable(id));

    public void ReportSnapshot(ulong id, bool failed) => Post(() => _node.ReportSnapshot(id, failed));

    private void Run()
    {
        try
        {
            foreach (var action in _inbox.GetConsumingEnumerable())
            {
                action();
                // Take everything already queued before writing: one sync serves them all.
                while (_inbox.TryTake(out var next))
                {
                    next();
                }

                while (_node.HasReady)
                {
                    HandleReady(_node.Ready());
                }

                MaybeSnapshot();
            }
        }
        catch (Exception e)
        {
            _failure = e;
            _inbox.CompleteAdding();
            _app.Failed(e);
        }
    }

    private void HandleReady(Ready rd)
    {
        if (rd.Snapshot is { } snapshot)
        {
            InstallSnapshot(snapshot);
        }

        // A leader's appends go out before its own fsync, so the two overlap (Ready.MessagesMayPrecedeWrite).
        var sendFirst = rd.MessagesMayPrecedeWrite && rd.Messages.Count > 0;
        if (sendFirst)
        {
            _transport.Send(rd.Messages);
        }

        if (rd.HardState is not null || rd.Entries.Count > 0 || rd.Snapshot is not null)
        {
            // Not for a Ready of only messages (heartbeats, read-index rounds): an empty batch
            // still costs a trip through the engine's write path before the answer goes out.
            _log.Save(rd.HardState, rd.Entries, rd.Snapshot, rd.MustSync);
        }
        if (!sendFirst && rd.Messages.Count > 0)
        {
            _transport.Send(rd.Messages);
        }

        if (rd.CommittedEntries.Count > 0)
        {
            _app.Apply(rd.CommittedEntries);
        }

        if (rd.ReadStates.Count > 0)
        {
            _app.ReadStates(rd.ReadStates);
        }

        _node.Advance();
        Status = Snapshot();
        if (rd.SoftState is { } soft)
        {
            _app.RoleChanged(soft);
        }

        if (!_node.ConfState.Equals(_membership))
        {
            _membership = _node.ConfState;
            _app.MembershipChanged(_membership);
        }
    }

    /// <summary>The state machine first, then the log: if we crash in between, the state
    /// records an applied index past the log's, and entries up to it are skipped on replay.</summary>
    private void InstallSnapshot(Snapshot snapshot)
    {
        if (!_payloads.Remove((snapshot.Index, snapshot.Term), out var payload))
        {
            throw new InvalidOperationException($"snapshot {snapshot.Index} (term {snapshot.Term}) arrived without its data");
        }

        _app.Restore(snapshot, payload);
        TryDelete(payload);
        foreach (var stale in _payloads.Where(p => p.Key.Index <= snapshot.Index).ToList())
        {
            _payloads.Remove(stale.Key);
            TryDelete(stale.Value);
        }
    }

    /// <summary>Every <see cref="RaftHostOptions.SnapshotEntries"/> applied entries: make the
    /// state durable, record a snapshot at the applied index and drop all but the last
    /// <see cref="RaftHostOptions.KeptEntries"/> entries before it.</summary>
    private void MaybeSnapshot()
    {
        var applied = _node.Applied;
        var last = _log.Snapshot().Index;
        if (applied < last + _options.SnapshotEntries || applied > _log.LastIndex)
        {
            return;
        }

        _app.Sync();
        _log.CreateSnapshot(applied, _node.ConfState, []);
        if (applied > _options.KeptEntries)
        {
            _log.Compact(applied - _options.KeptEntries);
        }
    }

    private RaftStatus Snapshot() => new(
        Id, _node.Term, _node.Lead, _node.Role, _node.Committed, _node.Applied, _node.ConfState,
        _node.Role == StateRole.Leader ? _node.MatchIndexes() : new Dictionary<ulong, ulong>());

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary file is harmless.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        await _ticker.DisposeAsync().ConfigureAwait(false);
        _inbox.CompleteAdding();
        if (_loop.IsAlive)
        {
            _loop.Join();
        }

        await _transport.DisposeAsync().ConfigureAwait(false);
        foreach (var payload in _payloads.Values)
        {
            TryDelete(payload);
        }

        _log.Dispose();
    }
}

/// <summary>What the host last saw of its core; <see cref="Match"/> is filled on the leader only.</summary>
public sealed record RaftStatus(
    ulong Id, ulong Term, ulong Leader, StateRole Role, ulong Committed, ulong Applied, ConfState Membership,
    IReadOnlyDictionary<ulong, ulong> Match);

using System.Buffers.Binary;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication;

// Linearizable reads (ReadIndex): concurrent readers share one round; at most one round is in
// flight, and readers arriving meanwhile form the next. A round is answered once this member has
// applied up to the index the leader confirmed.
public sealed partial class ReplicatedStore
{
    private readonly object _readGate = new();
    // Under _readGate: readers waiting for the next round, and whether one is issued or in flight.
    private ReadRound? _nextRound;
    private bool _roundActive;
    // Loop thread only.
    private ReadRound? _inFlight;
    private readonly List<ReadRound> _awaitingApply = [];
    private ulong _readContext;
    private long _ticks;

    private sealed class ReadRound
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public byte[] Context { get; set; } = [];
        public long IssuedAtTick { get; set; }
        public ulong Index { get; set; }
    }

    private async Task ReadBarrierAsync(CancellationToken cancellationToken)
    {
        ReadRound round;
        var issue = false;
        lock (_readGate)
        {
            round = _nextRound ??= new ReadRound();
            if (!_roundActive)
            {
                _roundActive = true;
                issue = true;
            }
        }

        if (issue && !_host.Post(_ => IssueNextRound()))
        {
            throw _state.Unavailable();
        }

        try
        {
            await round.Completion.Task.WaitAsync(_options.RequestTimeout, _raftTime, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new DatastoreException(DatastoreError.Unavailable, "etcdserver: request timed out (no leader confirmed the read)");
        }
    }

    /// <summary>Loop thread: sends the waiting readers' round, if no round is in flight.</summary>
    private void IssueNextRound()
    {
        if (_inFlight is not null)
        {
            return;
        }

        ReadRound? round;
        lock (_readGate)
        {
            round = _nextRound;
            _nextRound = null;
            _roundActive = round is not null;
        }

        if (round is null)
        {
            return;
        }

        _inFlight = round;
        SendRound(round);
    }

    private void SendRound(ReadRound round)
    {
        round.Context = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(round.Context, ++_readContext);
        round.IssuedAtTick = _ticks;
        // Not sent without a leader: the tick below sends it again.
        _host.Post(node => node.ReadIndex(round.Context));
    }

    void IRaftApplication.ReadStates(IReadOnlyList<ReadState> states)
    {
        foreach (var state in states)
        {
            if (_inFlight is { } round && state.Context.AsSpan().SequenceEqual(round.Context))
            {
                round.Index = state.Index;
                _awaitingApply.Add(round);
                _inFlight = null;
            }
        }

        CompleteReads();
    }

    /// <summary>Loop thread: answers rounds whose index is applied, then sends the next round.</summary>
    private void CompleteReads()
    {
        var applied = Volatile.Read(ref _lastApplied);
        for (var i = _awaitingApply.Count - 1; i >= 0; i--)
        {
            if (_awaitingApply[i].Index <= applied)
            {
                _awaitingApply[i].Completion.TrySetResult();
                _awaitingApply.RemoveAt(i);
            }
        }

        IssueNextRound();
    }

    void IRaftApplication.Ticked()
    {
        _ticks++;
        // Unanswered for an election timeout: the request or its answer was lost, or leadership
        // moved. Ask again under a new context (a late answer to the old one is ignored).
        if (_inFlight is { } round && _ticks - round.IssuedAtTick >= _options.Raft.ElectionTicks)
        {
            SendRound(round);
        }
    }

    private void FailReads(Exception error)
    {
        lock (_readGate)
        {
            _nextRound?.Completion.TrySetException(error);
            _nextRound = null;
        }

        _inFlight?.Completion.TrySetException(error);
        foreach (var round in _awaitingApply.ToList())
        {
            round.Completion.TrySetException(error);
        }
    }
}

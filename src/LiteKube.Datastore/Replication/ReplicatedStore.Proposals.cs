using System.Buffers.Binary;
using System.Collections.Concurrent;
using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication;

// Writes: propose, wait until this member applies the entry, answer with what applying it returned.
public sealed partial class ReplicatedStore
{
    // Offset of the sequence number in an encoded entry (see EntryCodec): version (1) + proposer (8).
    private const int SequenceOffset = 9;

    private readonly ConcurrentDictionary<ulong, Proposal> _pending = new();
    // Loop thread only: numbers are handed out in the order proposals enter the log.
    private ulong _nextSequence;
    // The last log index applied and published (loop thread writes; readers compare).
    private ulong _lastApplied;

    // Completed and replaced by the loop whenever this member learns of a (new) leader.
    private TaskCompletionSource _leaderChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Proposal
    {
        /// <summary>The answer to an attempt that reached no log.</summary>
        public static readonly object Dropped = new();

        public TaskCompletionSource<object> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task<object> SubmitAsync(Command command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _state.ThrowIfStopped();
        if (command is TxnCommand txn && RequestSize.Of(txn.Txn) > _options.MaxRequestBytes)
        {
            throw new DatastoreException(DatastoreError.RequestTooLarge, "etcdserver: request is too large");
        }

        var template = EntryCodec.Encode(new LogCommand(Id, 0, command));
        var deadline = _raftTime.GetUtcNow() + _options.RequestTimeout;
        while (true)
        {
            // Taken before proposing, so that a leader appearing after the drop is not missed.
            var leaderChanged = Volatile.Read(ref _leaderChanged).Task;
            // One wait per attempt: the loop answers it with the applied result, or at once with
            // Dropped. (A separate "appended" signal cost every write an extra thread hand-off.)
            var proposal = new Proposal();
            if (!_host.Post(node => Propose(node, template, proposal)))
            {
                throw _state.Unavailable();
            }

            var remaining = deadline - _raftTime.GetUtcNow();
            object outcome;
            try
            {
                // A canceled caller stops waiting; the entry itself may still be applied, as in etcd.
                outcome = await proposal.Completion.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _raftTime, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new DatastoreException(DatastoreError.Unavailable, "etcdserver: request timed out, possibly due to previous leader failure");
            }

            if (outcome != Proposal.Dropped)
            {
                return outcome;
            }

            // Dropped before it reached any log (no leader known, or a leader transfer): trying
            // again cannot apply it twice.
            try
            {
                // Again as soon as a leader is known (after a failover, at once), else next tick.
                await leaderChanged.WaitAsync(_options.Raft.TickInterval, _raftTime, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            if (_raftTime.GetUtcNow() >= deadline)
            {
                throw NoLeader();
            }
        }
    }

    private void Propose(RaftNode node, byte[] template, Proposal proposal)
    {
        var sequence = ++_nextSequence;
        var data = (byte[])template.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(SequenceOffset), sequence);
        _pending[sequence] = proposal;
        if (!node.Propose(data))
        {
            _pending.TryRemove(sequence, out _);
            proposal.Completion.TrySetResult(Proposal.Dropped);
        }
    }

    private static DatastoreException NoLeader() =>
        new(DatastoreError.Unavailable, "etcdserver: no leader");

    ulong IRaftApplication.AppliedIndex => _state.Machine.AppliedIndex;

    /// <summary>Loop thread: applies committed entries as one group, publishes them, then answers
    /// the callers of this member's proposals among them.</summary>
    void IRaftApplication.Apply(IReadOnlyList<Entry> entries)
    {
        var answers = new List<(Proposal Proposal, object? Response, Exception? Error)>();
        var membersChanged = false;
        foreach (var entry in entries)
        {
            if (entry.Index <= _state.Machine.AppliedIndex)
            {
                continue; // its effect is already in the state (replay after a restart or snapshot)
            }

            if (entry.Type == EntryType.ConfChange)
            {
                ConfChangeApplied(ConfChange.Decode(entry.Data));
                continue;
            }

            if (entry.Data.Length == 0)
            {
                continue; // a new leader's empty entry
            }

            LogCommand command;
            try
            {
                command = EntryCodec.Decode(entry.Data);
            }
            catch (FormatException)
            {
                // Cannot happen with entries this code wrote; skipping keeps every member equal.
                _state.Skip(new LogPosition(entry.Index, 0, 0));
                continue;
            }

            var mine = command.Proposer == Id && _pending.TryRemove(command.Sequence, out var p) ? p : null;
            if (command.Proposer != 0 && command.Sequence <= _state.Machine.LastSequence(command.Proposer))
            {
                // The same proposal twice in the log: the first copy was applied and answered. (A
                // proposal still waiting here was overtaken by a later one of ours: it is dropped,
                // never applied out of order, and its caller hears so.)
                _state.Skip(new LogPosition(entry.Index, 0, 0));
                mine?.Completion.TrySetException(new DatastoreException(DatastoreError.Unavailable, "litekube: the write was reordered behind a later one and dropped; retry it"));
                continue;
            }

            var (response, error) = _state.Apply(command.Command, new LogPosition(entry.Index, command.Proposer, command.Sequence));
            membersChanged |= command.Command is MemberUpdateCommand;
            if (mine is not null)
            {
                answers.Add((mine, response, error));
            }
        }

        _state.Publish(syncWrites: false);
        Volatile.Write(ref _lastApplied, entries[^1].Index);
        foreach (var (proposal, response, error) in answers)
        {
            if (error is not null)
            {
                proposal.Completion.TrySetException(error);
            }
            else
            {
                proposal.Completion.TrySetResult(response!);
            }
        }

        if (membersChanged)
        {
            UpdatePeers();
        }

        CompleteReads();
    }

    void IRaftApplication.Sync() => _state.Sync();

    void IRaftApplication.Restore(Snapshot snapshot, string payloadPath)
    {
        using (var payload = File.OpenRead(payloadPath))
        {
            _state.Restore(payload);
        }

        if (_state.Machine.AppliedIndex < snapshot.Index)
        {
            // The sender's data must be at least as new as the snapshot it stands for; older data
            // would leave a hole between it and the log that follows.
            throw new InvalidOperationException($"snapshot data at applied index {_state.Machine.AppliedIndex} is older than snapshot {snapshot.Index}");
        }

        Volatile.Write(ref _lastApplied, _state.Machine.AppliedIndex);
        SnapshotsInstalled++;
        FailProposalsInSnapshot();
        UpdatePeers();
        CompleteReads();
    }

    /// <summary>Loop thread: this member's proposals that the installed snapshot already holds
    /// will never be applied here one by one; their callers learn now that the outcome is
    /// unknown, instead of waiting out the request timeout.</summary>
    private void FailProposalsInSnapshot()
    {
        var applied = _state.Machine.LastSequence(Id);
        foreach (var sequence in _pending.Keys.Where(s => s <= applied).ToList())
        {
            if (_pending.TryRemove(sequence, out var proposal))
            {
                proposal.Completion.TrySetException(new DatastoreException(DatastoreError.Unavailable,
                    "etcdserver: request timed out: it was applied within a snapshot from the leader and its result is unknown"));
            }
        }
    }

    /// <summary>Transport thread: the store's data as of now, in a temporary file deleted when
    /// the caller disposes the stream.</summary>
    public Stream OpenPayload(Snapshot snapshot)
    {
        var path = Path.Combine(Path.GetTempPath(), $"litekube-snapshot-{Id:x}-{Guid.NewGuid():N}");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            _state.WriteSnapshotAsync(file, CancellationToken.None).GetAwaiter().GetResult();
            file.Position = 0;
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}

namespace LiteKube.Datastore.Raft;

// The output side: what the host must persist, send and apply, and its confirmation.
public sealed partial class RaftNode
{
    private SoftState prevSoftState;
    private HardState prevHardState;
    private Ready? outstanding;

    /// <summary>Whether <see cref="Ready"/> has work; false while a Ready awaits <see cref="Advance"/>.</summary>
    public bool HasReady =>
        outstanding is null && (
            SoftState != prevSoftState
            || (HardState != prevHardState && !HardState.IsEmpty)
            || log.Unstable.Snapshot is not null
            || log.Unstable.Entries.Count > 0
            || msgs.Count > 0
            || readStates.Count > 0
            || log.HasNextCommittedEntries);

    /// <summary>Takes the pending work (see <see cref="Raft.Ready"/> for what the host must do with it).
    /// Step, Tick and proposals may still be called before <see cref="Advance"/>; their output waits
    /// for the next Ready.</summary>
    public Ready Ready()
    {
        if (outstanding is not null)
        {
            throw new InvalidOperationException("the previous Ready was not advanced");
        }
        var hs = HardState;
        var ss = SoftState;
        var entries = log.Unstable.Entries.ToList();
        var ready = new Ready
        {
            SoftState = ss != prevSoftState ? ss : null,
            HardState = hs != prevHardState ? hs : null,
            Entries = entries,
            Snapshot = log.Unstable.Snapshot,
            CommittedEntries = log.NextCommittedEntries(),
            Messages = msgs,
            ReadStates = readStates,
            MustSync = entries.Count > 0 || log.Unstable.Snapshot is not null || hs.Term != prevHardState.Term || hs.Vote != prevHardState.Vote,
        };
        msgs = [];
        readStates = [];
        prevSoftState = ss;
        prevHardState = hs;
        outstanding = ready;
        return ready;
    }

    /// <summary>The host persisted, sent and applied the last <see cref="Ready"/>.</summary>
    public void Advance()
    {
        var ready = outstanding ?? throw new InvalidOperationException("Advance without an outstanding Ready");
        outstanding = null;
        if (ready.Snapshot is { } snapshot)
        {
            log.SnapshotApplied(snapshot.Index);
        }
        if (ready.Entries.Count > 0)
        {
            var last = ready.Entries[^1];
            log.Unstable.StableTo(last.Index, last.Term);
        }
        foreach (var e in ready.CommittedEntries)
        {
            if (e.Type == EntryType.ConfChange)
            {
                ApplyConfChange(ConfChange.Decode(e.Data), e.Index);
            }
        }
        if (ready.CommittedEntries.Count > 0)
        {
            log.AppliedTo(ready.CommittedEntries[^1].Index);
        }
        // The leader counts its own log towards commit only once it is on disk, like any follower's.
        if (Role == StateRole.Leader && tracker.Progress.TryGetValue(Id, out var self) && self.MaybeUpdate(log.PersistedLastIndex))
        {
            if (MaybeCommit())
            {
                BcastAppend();
            }
        }
    }

    /// <summary>The leader's view of each member's replication progress, for status output.</summary>
    public IReadOnlyDictionary<ulong, string> ProgressSummary() =>
        tracker.Progress.ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>The leader's match index of every member (itself included), for lag reporting.</summary>
    public IReadOnlyDictionary<ulong, ulong> MatchIndexes() =>
        tracker.Progress.ToDictionary(p => p.Key, p => p.Value.Match);

    // For invariant checkers in tests: the in-memory log (storage plus unstable entries).
    internal bool TryGetTerm(ulong index, out ulong term) => log.TryTerm(index, out term);

    internal ulong FirstIndex => log.FirstIndex;
}

namespace LiteKube.Datastore.Raft;

public enum ProgressState
{
    /// <summary>Where the follower's log matches is unknown: send one append per heartbeat round until it does.</summary>
    Probe,
    /// <summary>The follower keeps up: stream appends optimistically, up to the in-flight window.</summary>
    Replicate,
    /// <summary>The follower needs entries the leader compacted: a snapshot is on its way; send nothing else.</summary>
    Snapshot,
}

/// <summary>The leader's view of one member's log (etcd-raft's tracker.Progress).</summary>
internal sealed class Progress
{
    public Progress(ulong next, int maxInflight, bool isLearner)
    {
        Next = next;
        Inflights = new Inflights(maxInflight);
        IsLearner = isLearner;
    }

    /// <summary>Highest index known to be persisted on the member and matching the leader's log.</summary>
    public ulong Match { get; set; }

    /// <summary>Next index to send.</summary>
    public ulong Next { get; set; }

    public ProgressState State { get; private set; } = ProgressState.Probe;

    /// <summary>In <see cref="ProgressState.Snapshot"/>: the index of the snapshot sent.</summary>
    public ulong PendingSnapshot { get; private set; }

    /// <summary>Heard from since the last check-quorum round.</summary>
    public bool RecentActive { get; set; }

    /// <summary>In <see cref="ProgressState.Probe"/>: a probe is out; wait for its answer or a heartbeat response.</summary>
    public bool ProbeSent { get; set; }

    public Inflights Inflights { get; }

    public bool IsLearner { get; set; }

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.Full,
        _ => true,
    };

    private void ResetState(ProgressState state)
    {
        ProbeSent = false;
        PendingSnapshot = 0;
        State = state;
        Inflights.Reset();
    }

    public void BecomeProbe()
    {
        // After a snapshot the follower holds at least the snapshot: probe from just after it.
        var floor = State == ProgressState.Snapshot ? PendingSnapshot + 1 : 0;
        ResetState(ProgressState.Probe);
        Next = Math.Max(Match + 1, floor);
    }

    public void BecomeReplicate()
    {
        ResetState(ProgressState.Replicate);
        Next = Match + 1;
    }

    public void BecomeSnapshot(ulong snapshotIndex)
    {
        ResetState(ProgressState.Snapshot);
        PendingSnapshot = snapshotIndex;
        Next = snapshotIndex + 1;
    }

    /// <summary>An acknowledgement of <paramref name="index"/>; false if it told us nothing new.</summary>
    public bool MaybeUpdate(ulong index)
    {
        var updated = false;
        if (Match < index)
        {
            Match = index;
            updated = true;
            ProbeSent = false;
        }
        Next = Math.Max(Next, index + 1);
        return updated;
    }

    /// <summary>Records an append of entries ending at <paramref name="lastIndex"/> (0 entries: a bare probe/commit update).</summary>
    public void SentEntries(int count, ulong lastIndex)
    {
        switch (State)
        {
            case ProgressState.Replicate:
                if (count > 0)
                {
                    Next = lastIndex + 1;
                    Inflights.Add(lastIndex);
                }
                break;
            case ProgressState.Probe:
                ProbeSent = true;
                break;
            default:
                throw new InvalidOperationException($"sending entries in state {State}");
        }
    }

    /// <summary>
    /// The member rejected an append at <paramref name="rejected"/>; <paramref name="matchHint"/> is
    /// the highest index that may match. False if the rejection is stale (answers an older probe).
    /// </summary>
    public bool MaybeDecrTo(ulong rejected, ulong matchHint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match)
            {
                return false;
            }
            Next = Match + 1;
            return true;
        }
        if (Next - 1 != rejected)
        {
            return false;
        }
        Next = Math.Max(Math.Min(rejected, matchHint + 1), Match + 1);
        ProbeSent = false;
        return true;
    }

    public override string ToString() =>
        $"{State} match={Match} next={Next}" + (IsLearner ? " learner" : "") +
        (State == ProgressState.Snapshot ? $" pendingSnap={PendingSnapshot}" : "") +
        (Inflights.Count > 0 ? $" inflight={Inflights.Count}" : "") + (ProbeSent ? " paused" : "");
}

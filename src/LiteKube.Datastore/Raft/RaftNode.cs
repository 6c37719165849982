namespace LiteKube.Datastore.Raft;

/// <summary>
/// One Raft member as a pure, deterministic state machine (after etcd-io/raft): no I/O, clock,
/// threads or tasks. The host feeds it ticks, messages and proposals, takes <see cref="Ready"/>
/// batches, does the disk and network work they describe, and confirms with <see cref="Advance"/>.
/// Pre-vote and check-quorum are always on. Not thread-safe: one caller at a time.
/// <para>
/// What it does not do: it never touches disk or network, so it cannot detect an unreachable
/// peer or a failed snapshot transfer unless the host reports them
/// (<see cref="ReportUnreachable"/>, <see cref="ReportSnapshot"/>); and it does not check that a
/// member id was never used before — the host allocates ids.
/// </para>
/// </summary>
public sealed partial class RaftNode
{
    public const ulong None = 0;

    private readonly RaftConfig config;
    private readonly RaftLog log;
    private readonly ProgressTracker tracker;
    private readonly ReadOnlyQueue readOnly = new();
    private readonly List<Message> pendingReadIndex = [];
    private List<Message> msgs = [];
    private List<ReadState> readStates = [];

    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;
    // Elections left on the short timer since the transport told us our leader is gone
    // (LeaderUnreachable); zero once any leader is heard from.
    private int earlyElections;
    private ulong leadTransferee;
    // The index of the latest conf change the leader appended; a new one waits until it is applied.
    private ulong pendingConfIndex;

    public RaftNode(RaftConfig config)
    {
        config.Validate();
        this.config = config;
        log = new RaftLog(config.Storage, config.MaxCommittedEntriesPerReady);
        tracker = new ProgressTracker(config.MaxInflightMessages);
        var (hardState, confState) = config.Storage.InitialState();
        tracker.Reset(confState, log.LastIndex);
        if (!hardState.IsEmpty)
        {
            if (hardState.Commit < log.Committed || hardState.Commit > log.LastIndex)
            {
                throw new InvalidOperationException($"persisted commit {hardState.Commit} is outside the log [{log.Committed}, {log.LastIndex}]");
            }
            log.CommitTo(hardState.Commit);
            Term = hardState.Term;
            Vote = hardState.Vote;
        }
        if (config.Applied > 0)
        {
            log.AppliedTo(config.Applied);
        }
        confIndex = log.Applied;
        BecomeFollower(Term, None);
        prevSoftState = SoftState;
        prevHardState = HardState;
    }

    public ulong Id => config.Id;

    public ulong Term { get; private set; }

    /// <summary>Whom this member voted for in <see cref="Term"/>.</summary>
    public ulong Vote { get; private set; }

    /// <summary>The leader this member knows of in <see cref="Term"/>, or <see cref="None"/>.</summary>
    public ulong Lead { get; private set; }

    public StateRole Role { get; private set; }

    public ulong Committed => log.Committed;

    public ulong Applied => log.Applied;

    public ulong LastIndex => log.LastIndex;

    /// <summary>The membership as of the applied index.</summary>
    public ConfState ConfState => tracker.ConfState;

    public ulong LeadTransferee => leadTransferee;

    public HardState HardState => new(Term, Vote, log.Committed);

    public SoftState SoftState => new(Lead, Role);

    private bool IsLearner => tracker.Progress.TryGetValue(Id, out var pr) && pr.IsLearner;

    /// <summary>A member may campaign if it is a voter and is not waiting to install a snapshot.</summary>
    private bool Promotable => tracker.Voters.Contains(Id) && log.Unstable.Snapshot is null;

    /// <summary>Advances logical time by one tick.</summary>
    public void Tick()
    {
        if (Role == StateRole.Leader)
        {
            TickHeartbeat();
        }
        else
        {
            TickElection();
        }
    }

    private void TickElection()
    {
        electionElapsed++;
        if (Promotable && electionElapsed >= randomizedElectionTimeout)
        {
            electionElapsed = 0;
            if (earlyElections > 0)
            {
                // One early campaign used; the timer of the next is drawn again (short while any are left).
                earlyElections--;
                ResetRandomizedElectionTimeout();
            }
            Hup(transfer: false);
        }
    }

    private void ResetRandomizedElectionTimeout() =>
        randomizedElectionTimeout = earlyElections > 0
            ? 1 + config.Random.Next(Math.Max(1, config.ElectionTick / 2))
            : config.ElectionTick + config.Random.Next(config.ElectionTick);

    /// <summary>Starts an election now (the host's "campaign" command; normally ticks do this).</summary>
    public void Campaign() => Hup(transfer: false);

    private void Hup(bool transfer)
    {
        if (Role == StateRole.Leader || !Promotable)
        {
            return;
        }
        // With committed but unapplied conf changes our membership is stale: wait until applied.
        if (HasUnappliedConfChanges())
        {
            return;
        }
        if (transfer)
        {
            StartElection(transfer: true);
        }
        else
        {
            StartPreElection();
        }
    }

    private bool HasUnappliedConfChanges()
    {
        if (log.Applied >= log.Committed)
        {
            return false;
        }
        for (var lo = log.Applied + 1; lo <= log.Committed;)
        {
            if (!log.TrySlice(lo, log.Committed + 1, config.MaxCommittedEntriesPerReady, out var batch) || batch.Count == 0)
            {
                return false;
            }
            if (batch.Any(e => e.Type == EntryType.ConfChange))
            {
                return true;
            }
            lo = batch[^1].Index + 1;
        }
        return false;
    }

    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = None;
        }
        Lead = None;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        ResetRandomizedElectionTimeout();
        leadTransferee = None;
        tracker.ResetVotes();
        foreach (var (id, pr) in tracker.Progress.ToList())
        {
            var fresh = new Progress(log.LastIndex + 1, config.MaxInflightMessages, pr.IsLearner);
            if (id == Id)
            {
                fresh.Match = log.PersistedLastIndex;
            }
            tracker.Progress[id] = fresh;
        }
        pendingConfIndex = 0;
        readOnly.Clear();
        pendingReadIndex.Clear();
    }

    private void BecomeFollower(ulong term, ulong lead)
    {
        if (lead != None)
        {
            earlyElections = 0;
        }
        Reset(term);
        Lead = lead;
        Role = StateRole.Follower;
    }

    private void BecomePreCandidate()
    {
        if (Role == StateRole.Leader)
        {
            throw new InvalidOperationException("leader cannot become pre-candidate");
        }
        // Pre-vote changes neither term nor vote: a partitioned member that keeps failing its
        // pre-election never inflates its term and disrupts the cluster when it returns.
        tracker.ResetVotes();
        Lead = None;
        Role = StateRole.PreCandidate;
    }

    private void BecomeCandidate()
    {
        if (Role == StateRole.Leader)
        {
            throw new InvalidOperationException("leader cannot become candidate");
        }
        Reset(Term + 1);
        Vote = Id;
        Role = StateRole.Candidate;
    }

    private void BecomeLeader()
    {
        if (Role == StateRole.Follower)
        {
            throw new InvalidOperationException("follower cannot become leader without an election");
        }
        earlyElections = 0;
        Reset(Term);
        Lead = Id;
        Role = StateRole.Leader;
        var self = tracker.Progress[Id];
        self.BecomeReplicate();
        self.Match = log.PersistedLastIndex;
        self.Next = log.LastIndex + 1;
        self.RecentActive = true;
        // An empty entry of the new term: committing it commits every earlier entry (§5.4.2), and
        // until then neither reads (ReadIndex) nor conf changes are allowed.
        var index = log.LastIndex + 1;
        log.Append([Entry.Empty(Term, index)]);
        pendingConfIndex = index;
    }

    private void Send(Message m) => msgs.Add(m);

    private Message Reply(Message to, MessageType type) => new() { Type = type, From = Id, To = to.From, Term = Term };
}

namespace LiteKube.Datastore.Raft;

// The leader's outgoing replication: appends, snapshots and heartbeats.
public sealed partial class RaftNode
{
    private void BcastAppend()
    {
        foreach (var id in tracker.Progress.Keys.ToList())
        {
            if (id != Id)
            {
                MaybeSendAppend(id, sendIfEmpty: true);
            }
        }
    }

    /// <summary>
    /// Sends the entries <paramref name="to"/> is missing, or a snapshot when we compacted them. An empty
    /// append is sent only if <paramref name="sendIfEmpty"/> (it carries the commit index). False when
    /// nothing was sent: the follower is paused (probe outstanding, window full, snapshot in flight).
    /// </summary>
    private bool MaybeSendAppend(ulong to, bool sendIfEmpty)
    {
        var pr = tracker.Progress[to];
        if (pr.IsPaused)
        {
            return false;
        }
        var prevIndex = pr.Next - 1;
        if (!log.TryTerm(prevIndex, out var prevTerm)
            || !log.TrySlice(pr.Next, log.LastIndex + 1, config.MaxEntriesPerMessage, out var entries))
        {
            return MaybeSendSnapshot(to, pr);
        }
        if (entries.Count == 0 && !sendIfEmpty)
        {
            return false;
        }
        Send(new Message
        {
            Type = MessageType.App, From = Id, To = to, Term = Term,
            Index = prevIndex, LogTerm = prevTerm, Entries = entries, Commit = log.Committed,
        });
        pr.SentEntries(entries.Count, entries.Count > 0 ? entries[^1].Index : prevIndex);
        return true;
    }

    private bool MaybeSendSnapshot(ulong to, Progress pr)
    {
        if (!pr.RecentActive)
        {
            // Snapshots are expensive: do not send one to a member that may be down.
            return false;
        }
        var snapshot = log.Snapshot();
        if (snapshot.Index == 0)
        {
            throw new InvalidOperationException("entries are compacted but there is no snapshot");
        }
        pr.BecomeSnapshot(snapshot.Index);
        Send(new Message { Type = MessageType.Snapshot, From = Id, To = to, Term = Term, Snapshot = snapshot });
        return true;
    }

    private void BcastHeartbeat()
    {
        var context = readOnly.LastPendingContext;
        foreach (var (id, pr) in tracker.Progress)
        {
            if (id == Id)
            {
                continue;
            }
            // Never more than the follower's match: it may not have entries up to our commit index,
            // and a follower may only commit what it holds.
            Send(new Message
            {
                Type = MessageType.Heartbeat, From = Id, To = id, Term = Term,
                Commit = Math.Min(pr.Match, log.Committed), Context = context,
            });
        }
    }

    private void SendTimeoutNow(ulong to) =>
        Send(new Message { Type = MessageType.TimeoutNow, From = Id, To = to, Term = Term });
}

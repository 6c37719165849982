using System.Text;
using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Tests.Raft;

/// <summary>Stable one-line renderings of Raft values for scenario traces.</summary>
internal static class RaftFormat
{
    public static string Entry(Entry e) =>
        e.Type == EntryType.ConfChange
            ? $"{e.Term}/{e.Index} {ConfChange.Decode(e.Data)}"
            : $"{e.Term}/{e.Index} \"{Encoding.UTF8.GetString(e.Data)}\"";

    public static string Entries(IEnumerable<Entry> entries) => string.Join(", ", entries.Select(Entry));

    public static string Message(Message m)
    {
        var sb = new StringBuilder($"{m.From}->{m.To} {m.Type} Term:{m.Term}");
        switch (m.Type)
        {
            case MessageType.App:
                sb.Append($" Log:{m.LogTerm}/{m.Index} Commit:{m.Commit}");
                if (m.Entries.Count > 0)
                {
                    sb.Append($" Entries:[{Entries(m.Entries)}]");
                }
                break;
            case MessageType.AppResp:
                sb.Append(m.Reject ? $" Rejected Index:{m.Index} Hint:{m.LogTerm}/{m.RejectHint}" : $" Index:{m.Index}");
                break;
            case MessageType.Vote or MessageType.PreVote:
                sb.Append($" Log:{m.LogTerm}/{m.Index}");
                if (m.LeaderTransfer)
                {
                    sb.Append(" Transfer");
                }
                break;
            case MessageType.VoteResp or MessageType.PreVoteResp:
                sb.Append(m.Reject ? " Rejected" : " Granted");
                break;
            case MessageType.Heartbeat:
                sb.Append($" Commit:{m.Commit}");
                break;
            case MessageType.Snapshot:
                sb.Append($" Snapshot:{Snapshot(m.Snapshot!)}");
                break;
            case MessageType.Prop:
                sb.Append($" Entries:[{string.Join(", ", m.Entries.Select(e => e.Type == EntryType.ConfChange ? ConfChange.Decode(e.Data).ToString() : Encoding.UTF8.GetString(e.Data)))}]");
                break;
            case MessageType.ReadIndexResp:
                sb.Append($" Index:{m.Index}");
                break;
        }
        if (m.Context is not null)
        {
            sb.Append($" Context:{Encoding.UTF8.GetString(m.Context)}");
        }
        return sb.ToString();
    }

    public static string Snapshot(Snapshot s) => $"{s.Term}/{s.Index} {s.Metadata.ConfState}";

    public static IEnumerable<string> Ready(Ready rd)
    {
        yield return $"Ready MustSync={rd.MustSync.ToString().ToLowerInvariant()}:";
        if (rd.SoftState is { } ss)
        {
            yield return $"Lead:{ss.Lead} State:{ss.Role}";
        }
        if (rd.HardState is { } hs)
        {
            yield return $"HardState Term:{hs.Term} Vote:{hs.Vote} Commit:{hs.Commit}";
        }
        if (rd.Snapshot is not null)
        {
            yield return $"Snapshot {Snapshot(rd.Snapshot)}";
        }
        if (rd.Entries.Count > 0)
        {
            yield return "Entries:";
            foreach (var e in rd.Entries)
            {
                yield return Entry(e);
            }
        }
        if (rd.CommittedEntries.Count > 0)
        {
            yield return "CommittedEntries:";
            foreach (var e in rd.CommittedEntries)
            {
                yield return Entry(e);
            }
        }
        if (rd.ReadStates.Count > 0)
        {
            yield return "ReadStates:";
            foreach (var r in rd.ReadStates)
            {
                yield return $"Index:{r.Index} Context:{Encoding.UTF8.GetString(r.Context)}";
            }
        }
        if (rd.Messages.Count > 0)
        {
            yield return "Messages:";
            foreach (var m in rd.Messages)
            {
                yield return Message(m);
            }
        }
    }
}

using Google.Protobuf;
using LiteKube.Datastore.Raft;
using RaftPb = LiteKube.Datastore.Protos.Raftpb;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// <see cref="Message"/> to and from its wire form. Outgoing byte arrays are wrapped, not copied
/// (entries and contexts are immutable once proposed); incoming ones are validated so that what
/// reaches Raft is a message Raft can have sent.
/// </summary>
internal static class RaftMessageCodec
{
    public static RaftPb.RaftMessage ToProto(Message message)
    {
        var proto = new RaftPb.RaftMessage
        {
            Type = (uint)message.Type,
            From = message.From,
            To = message.To,
            Term = message.Term,
            LogTerm = message.LogTerm,
            Index = message.Index,
            Commit = message.Commit,
            Reject = message.Reject,
            RejectHint = message.RejectHint,
            LeaderTransfer = message.LeaderTransfer,
        };
        if (message.Context is { } context)
        {
            proto.Context = UnsafeByteOperations.UnsafeWrap(context);
        }
        foreach (var entry in message.Entries)
        {
            proto.Entries.Add(new RaftPb.RaftEntry
            {
                Term = entry.Term,
                Index = entry.Index,
                Type = (uint)entry.Type,
                Data = UnsafeByteOperations.UnsafeWrap(entry.Data),
            });
        }
        if (message.Snapshot is { } snapshot)
        {
            var metadata = new RaftPb.SnapshotMetadata
            {
                Index = snapshot.Index,
                Term = snapshot.Term,
                Data = UnsafeByteOperations.UnsafeWrap(snapshot.Data),
            };
            metadata.Voters.Add(snapshot.Metadata.ConfState.Voters);
            metadata.Learners.Add(snapshot.Metadata.ConfState.Learners);
            proto.Snapshot = metadata;
        }
        return proto;
    }

    /// <summary>Throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Message FromProto(RaftPb.RaftMessage proto)
    {
        if (proto.Type > (uint)MessageType.TimeoutNow)
        {
            throw new FormatException($"unknown message type {proto.Type}");
        }
        var type = (MessageType)proto.Type;
        if (proto.From == 0 || proto.To == 0)
        {
            throw new FormatException($"a {type} message needs non-zero from and to (got {proto.From} -> {proto.To})");
        }
        if (type == MessageType.Snapshot && proto.Snapshot is null)
        {
            throw new FormatException("a Snapshot message without snapshot metadata");
        }
        var entries = proto.Entries.Count == 0 ? [] : new Entry[proto.Entries.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = proto.Entries[i];
            if (entry.Type > (uint)EntryType.ConfChange)
            {
                throw new FormatException($"entry {entry.Index} has unknown type {entry.Type}");
            }
            if (i > 0 && entry.Index != entries[i - 1].Index + 1)
            {
                throw new FormatException($"entries are not consecutive: {entries[i - 1].Index} then {entry.Index}");
            }
            entries[i] = new Entry(entry.Term, entry.Index, (EntryType)entry.Type, entry.Data.ToByteArray());
        }
        return new Message
        {
            Type = type,
            From = proto.From,
            To = proto.To,
            Term = proto.Term,
            LogTerm = proto.LogTerm,
            Index = proto.Index,
            Commit = proto.Commit,
            Reject = proto.Reject,
            RejectHint = proto.RejectHint,
            LeaderTransfer = proto.LeaderTransfer,
            Context = proto.HasContext ? proto.Context.ToByteArray() : null,
            Entries = entries,
            Snapshot = proto.Snapshot is { } s ? SnapshotFromProto(s) : null,
        };
    }

    private static Snapshot SnapshotFromProto(RaftPb.SnapshotMetadata metadata)
    {
        var voters = metadata.Voters.ToArray();
        var learners = metadata.Learners.ToArray();
        if (voters.Intersect(learners).Any())
        {
            throw new FormatException("snapshot membership lists a member as both voter and learner");
        }
        Array.Sort(voters);
        Array.Sort(learners);
        return new Snapshot(new SnapshotMetadata(metadata.Index, metadata.Term, new ConfState(voters, learners)), metadata.Data.ToByteArray());
    }
}

namespace LiteKube.Datastore.Mvcc;

/// <summary>A state change of the MVCC store. Applying the same commands in the same order to
/// the same state gives the same state: this is what a replicated log will carry.</summary>
public abstract record Command;

public sealed record TxnCommand(TxnRequest Txn) : Command;

/// <summary>Id is chosen before the command is applied, so that every replica picks the same.</summary>
public sealed record LeaseGrantCommand(long Id, long Ttl) : Command;

public sealed record LeaseRevokeCommand(long Id) : Command;

/// <summary>Renews a lease to its full TTL on every member (replicated stores; the local
/// store renews in memory without a command).</summary>
public sealed record LeaseKeepAliveCommand(long Id) : Command;

public sealed record CompactCommand(long Revision) : Command;

/// <summary>Records a member's name and peer address in the replicated state, or that its id
/// was removed (ids are never reused). Proposed beside the Raft membership change it describes.</summary>
public sealed record MemberUpdateCommand(ulong MemberId, string Name, string PeerAddress, bool Removed) : Command;

/// <summary>A member as the replicated state records it.</summary>
public sealed record MemberRecord(ulong Id, string Name, string PeerAddress, bool Removed);

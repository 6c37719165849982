namespace LiteKube.Datastore.Mvcc;

/// <summary>A state change of the MVCC store. Applying the same commands in the same order to
/// the same state gives the same state: this is what a replicated log will carry.</summary>
public abstract record Command;

public sealed record TxnCommand(TxnRequest Txn) : Command;

/// <summary>Id is chosen before the command is applied, so that every replica picks the same.</summary>
public sealed record LeaseGrantCommand(long Id, long Ttl) : Command;

public sealed record LeaseRevokeCommand(long Id) : Command;

public sealed record CompactCommand(long Revision) : Command;

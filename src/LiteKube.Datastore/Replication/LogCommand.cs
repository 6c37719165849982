using LiteKube.Datastore.Mvcc;

namespace LiteKube.Datastore.Replication;

/// <summary>
/// A log entry's payload: the command and who proposed it. The proposer (a member id) and its
/// sequence number, increasing with every proposal of that member, let the proposer answer its
/// caller when it applies the entry, and let every member skip an entry the log carries twice
/// (a forwarded proposal duplicated by the network).
/// </summary>
public sealed record LogCommand(ulong Proposer, ulong Sequence, Command Command);

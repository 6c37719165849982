using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>One client call against an <see cref="IKeyValueStore"/>, as the KV model checks it:
/// the request and what the client observed.</summary>
public sealed record KvOperation(KvRequest Request, KvOutcome Outcome);

/// <summary>The calls the model knows. Anything else a store offers (keep-alive, compaction,
/// lease listing) is left out of histories: it does not change the modelled state.</summary>
public abstract record KvRequest;

public sealed record RangeCall(RangeRequest Request) : KvRequest;

public sealed record PutCall(PutRequest Request) : KvRequest;

public sealed record DeleteCall(DeleteRangeRequest Request) : KvRequest;

public sealed record TxnCall(TxnRequest Request) : KvRequest;

/// <summary>Histories grant leases with ids the client picks, so an unknown outcome still names the
/// lease.</summary>
public sealed record LeaseGrantCall(long Id, long Ttl) : KvRequest;

public sealed record LeaseRevokeCall(long Id) : KvRequest;

public abstract record KvOutcome;

/// <summary>The call returned: a RangeResult, PutResult, DeleteRangeResult, TxnResult,
/// LeaseGrantResult or LeaseRevokeResult.</summary>
public sealed record Returned(object Result) : KvOutcome;

/// <summary>The call failed with an error that means it changed nothing (e.g. lease not found).</summary>
public sealed record Failed(DatastoreError Error) : KvOutcome;

/// <summary>Timeout, Unavailable, a broken connection: the call may or may not have taken effect.</summary>
public sealed record Unknown(string Why) : KvOutcome;

/// <summary><see cref="IKeyValueStore.LeaseRevokeAsync"/> returns a bare revision; this names it.</summary>
public sealed record LeaseRevokeResult(long Revision);

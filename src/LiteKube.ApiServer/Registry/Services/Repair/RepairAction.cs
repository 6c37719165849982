namespace LiteKube.ApiServer.Registry.Services.Repair;

/// <summary>The pools a repair looks after.</summary>
public enum Pool { ClusterIps, NodePorts }

/// <summary>One step of a repair. Each key write is conditional on what the pass saw, so a
/// step that raced with a Service write (or another server's repair) simply does not apply.</summary>
public abstract record RepairAction(Pool Pool);

/// <summary>A Service holds a value that has no key: take it for the Service (only if still absent).</summary>
public sealed record TakeKey(Pool Pool, string Value, string Holder) : RepairAction(Pool);

/// <summary>The key names a holder that does not hold the value, and a Service does: name that one.</summary>
public sealed record SetHolder(Pool Pool, string Value, string Holder, long ModRevision) : RepairAction(Pool);

/// <summary>No Service has held the value for the whole grace period: give it back.</summary>
public sealed record ReleaseKey(Pool Pool, string Value, long ModRevision) : RepairAction(Pool);

/// <summary>A Warning Event on a Service: a value it holds that the repair cannot make right
/// (shared with another Service, outside the range) or had to repair.</summary>
public sealed record ReportOnService(Pool Pool, ServiceClaim Service, string Value, string Reason, string Message) : RepairAction(Pool);

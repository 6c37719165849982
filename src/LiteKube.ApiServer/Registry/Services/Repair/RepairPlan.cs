namespace LiteKube.ApiServer.Registry.Services.Repair;

/// <summary>How many passes in a row each key (by pool and value) has been seen without a
/// Service, at the same revision. A key rewritten in between starts again from one.</summary>
public sealed record LeakRecord(long ModRevision, int Passes);

/// <summary>A pass's decision: the steps, and the leak counts the next pass starts from.</summary>
public sealed record RepairPlan(IReadOnlyList<RepairAction> Actions, IReadOnlyDictionary<(Pool, string), LeakRecord> Leaks);

namespace LiteKube.Benchmarks.Measurement;

/// <summary>
/// A supporting observation (CPU used, errors, events missed) that explains a figure but is not
/// itself a goal, shown in a second table.
/// </summary>
public sealed record Diagnostic(string Workload, string Name, string Value);

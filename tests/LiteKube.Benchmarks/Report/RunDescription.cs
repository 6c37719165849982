namespace LiteKube.Benchmarks.Report;

/// <summary>Everything the results header states about a run besides the figures.</summary>
public sealed record RunDescription(
    string Suite,
    DateTimeOffset StartedAt,
    string Command,
    MachineInfo Machine,
    string LoadBefore,
    string LoadAfter,
    int Nice,
    IReadOnlyList<string> Versions,
    string Method);

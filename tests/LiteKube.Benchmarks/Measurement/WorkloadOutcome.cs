namespace LiteKube.Benchmarks.Measurement;

/// <summary>What one workload produced against one server; <see cref="Failure"/> set if it could not finish.</summary>
public sealed record WorkloadOutcome(
    string Workload,
    string Server,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<Diagnostic> Diagnostics,
    string? Failure = null)
{
    public static WorkloadOutcome Failed(string workload, string server, string failure) =>
        new(workload, server, [], [], failure);
}

namespace LiteKube.Benchmarks.Measurement;

/// <summary>The result of driving one operation from many callers.</summary>
/// <param name="Operations">Successful operations that started and finished inside the measured window.</param>
/// <param name="TotalOperations">Successful operations including warm-up, to divide CPU time by.</param>
/// <param name="Errors">Failed operations (warm-up included); any error is reported, never hidden.</param>
/// <param name="FirstError">The first failure's message, to say what went wrong.</param>
public sealed record LoadResult(
    long Operations,
    long TotalOperations,
    long Errors,
    TimeSpan Measured,
    LatencySummary Latency,
    string? FirstError)
{
    public double OpsPerSecond => Operations / Measured.TotalSeconds;
}

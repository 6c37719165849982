namespace LiteKube.Benchmarks.Measurement;

/// <summary>What a figure measures, which fixes its unit, its format and which way is better.</summary>
public enum FigureKind
{
    /// <summary>Operations per second; higher is better.</summary>
    Throughput,

    /// <summary>Milliseconds; lower is better.</summary>
    LatencyMs,

    /// <summary>MiB of resident memory; lower is better.</summary>
    MemoryMiB,

    /// <summary>Percent of one core; lower is better.</summary>
    CpuPercent,
}

using System.Globalization;

namespace LiteKube.Benchmarks.Measurement;

/// <summary>One number in the results table, e.g. ("put, 16 clients", "p99 ms", 4.2) for one server.</summary>
public sealed record Figure(string Workload, string Metric, FigureKind Kind, double Value)
{
    public bool HigherIsBetter => Kind == FigureKind.Throughput;

    public static Figure Throughput(string workload, double opsPerSecond) =>
        new(workload, "ops/s", FigureKind.Throughput, opsPerSecond);

    public static Figure Latency(string workload, string percentile, double milliseconds) =>
        new(workload, $"{percentile} ms", FigureKind.LatencyMs, milliseconds);

    public static Figure Memory(string workload, string metric, long bytes) =>
        new(workload, metric, FigureKind.MemoryMiB, bytes / (1024.0 * 1024.0));

    public static Figure Cpu(string workload, string metric, double percentOfOneCore) =>
        new(workload, metric, FigureKind.CpuPercent, percentOfOneCore);

    public string FormattedValue => Kind switch
    {
        FigureKind.Throughput => Value.ToString("N0", CultureInfo.InvariantCulture),
        FigureKind.LatencyMs => Value.ToString(Value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture),
        FigureKind.CpuPercent => Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => Value.ToString("0.0", CultureInfo.InvariantCulture),
    };
}

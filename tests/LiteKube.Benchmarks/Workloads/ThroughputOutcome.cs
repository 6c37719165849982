using System.Globalization;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>The figures and diagnostics every closed-loop throughput workload reports.</summary>
public static class ThroughputOutcome
{
    public static WorkloadOutcome Create(string workload, string server, LoadResult result, CpuUsage cpu)
    {
        Figure[] figures =
        [
            Figure.Throughput(workload, result.OpsPerSecond),
            Figure.Latency(workload, "p50", result.Latency.P50Ms),
            Figure.Latency(workload, "p99", result.Latency.P99Ms),
        ];
        var diagnostics = new List<Diagnostic>
        {
            new(workload, "max ms", result.Latency.MaxMs.ToString("0.0", CultureInfo.InvariantCulture)),
            new(workload, "errors", ErrorText(result)),
        };
        diagnostics.AddRange(cpu.Describe(workload, result.TotalOperations));
        return new WorkloadOutcome(workload, server, figures, diagnostics);
    }

    public static string ErrorText(LoadResult result) =>
        result.Errors == 0 ? "0" : $"{result.Errors} (first: {result.FirstError})";
}

using System.Globalization;

namespace LiteKube.Benchmarks.Measurement;

/// <summary>
/// Folds the rounds of one workload against one server into one outcome: each figure becomes the
/// median of its rounds (robust to one round disturbed by other work on the machine), and the
/// per-round values are kept as diagnostics so the spread is visible.
/// </summary>
public static class RoundMedian
{
    public static WorkloadOutcome Combine(IReadOnlyList<WorkloadOutcome> rounds)
    {
        if (rounds.Count == 1)
        {
            return rounds[0];
        }

        var first = rounds[0];
        var succeeded = rounds.Where(r => r.Failure is null).ToList();
        var figures = succeeded.SelectMany(r => r.Figures)
            .GroupBy(f => (f.Workload, f.Metric, f.Kind))
            .Select(g => new Figure(g.Key.Workload, g.Key.Metric, g.Key.Kind, Median(g.Select(f => f.Value))))
            .ToList();
        var spread = succeeded.SelectMany(r => r.Figures)
            .GroupBy(f => (f.Workload, f.Metric))
            .Select(g => new Diagnostic(g.Key.Workload, $"{g.Key.Metric} by round", string.Join(" / ", g.Select(f => f.FormattedValue))));
        var diagnostics = spread.Concat(succeeded.SelectMany(r => r.Diagnostics)
                .GroupBy(d => (d.Workload, d.Name))
                .Select(g => new Diagnostic(g.Key.Workload, g.Key.Name, string.Join(" / ", g.Select(d => d.Value)))))
            .ToList();
        var failures = rounds.Where(r => r.Failure is not null).Select(r => r.Failure!).ToList();
        var failure = failures.Count == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{failures.Count} of {rounds.Count} rounds failed; first: {failures[0]}");
        return new WorkloadOutcome(first.Workload, first.Server, figures, diagnostics, failure);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

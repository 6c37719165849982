using System.Globalization;
using System.Text;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Report;

/// <summary>
/// Renders the outcomes as Markdown: one row per (workload, metric) with litekube, etcd and the
/// ratio litekube/etcd, then the diagnostics that explain them, then any failures.
/// </summary>
public static class ResultsReport
{
    private const string Subject = "litekube";
    private const string Reference = "etcd";

    public static string Render(RunDescription run, IReadOnlyList<WorkloadOutcome> outcomes)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# LiteKube benchmark: {run.Suite}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Date: {run.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{run.Command}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {run.Machine.Describe()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1 / 5 / 15 min): {run.LoadBefore} before, {run.LoadAfter} after; generator and servers at nice {run.Nice}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Versions: {string.Join("; ", run.Versions)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Method: {run.Method}");
        md.AppendLine();
        RenderFigures(md, outcomes);
        RenderDiagnostics(md, outcomes);
        RenderFailures(md, outcomes);
        return md.ToString();
    }

    private static void RenderFigures(StringBuilder md, IReadOnlyList<WorkloadOutcome> outcomes)
    {
        md.AppendLine($"| workload | metric | {Subject} | {Reference} | {Subject}/{Reference} | goal |");
        md.AppendLine("|---|---|---:|---:|---:|---|");
        var figures = outcomes.SelectMany(o => o.Figures.Select(f => (o.Server, Figure: f))).ToList();
        foreach (var row in figures.Select(f => (f.Figure.Workload, f.Figure.Metric)).Distinct())
        {
            var subject = Find(figures, Subject, row);
            var reference = Find(figures, Reference, row);
            var (ratio, goal) = Compare(subject, reference);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Workload} | {row.Metric} | {subject?.FormattedValue ?? "—"} | {reference?.FormattedValue ?? "—"} | {ratio} | {goal} |");
        }

        md.AppendLine();
        md.AppendLine("Goal: litekube at or above etcd on throughput, at or below it on latency and memory.");
        md.AppendLine();
    }

    private static (string Ratio, string Goal) Compare(Figure? subject, Figure? reference)
    {
        if (subject is null || reference is null || reference.Value == 0 || double.IsNaN(subject.Value) || double.IsNaN(reference.Value))
        {
            return ("—", "—");
        }

        var ratio = subject.Value / reference.Value;
        var met = subject.HigherIsBetter ? ratio >= 1 : ratio <= 1;
        return (ratio.ToString("0.00", CultureInfo.InvariantCulture), met ? "met" : "**behind**");
    }

    private static Figure? Find(List<(string Server, Figure Figure)> figures, string server, (string Workload, string Metric) row) =>
        figures.FirstOrDefault(f => f.Server == server && f.Figure.Workload == row.Workload && f.Figure.Metric == row.Metric).Figure;

    private static void RenderDiagnostics(StringBuilder md, IReadOnlyList<WorkloadOutcome> outcomes)
    {
        var diagnostics = outcomes.SelectMany(o => o.Diagnostics.Select(d => (o.Server, Diagnostic: d))).ToList();
        if (diagnostics.Count == 0)
        {
            return;
        }

        md.AppendLine("## Diagnostics");
        md.AppendLine();
        md.AppendLine("Server CPU is the whole process tree's user+system time over the run, warm-up included; the load");
        md.AppendLine("generator runs on the same cores, so the sum of both shows how saturated the machine was.");
        md.AppendLine();
        md.AppendLine($"| workload | observation | {Subject} | {Reference} |");
        md.AppendLine("|---|---|---:|---:|");
        foreach (var row in diagnostics.Select(d => (d.Diagnostic.Workload, d.Diagnostic.Name)).Distinct())
        {
            string Value(string server) => diagnostics
                .Where(d => d.Server == server && d.Diagnostic.Workload == row.Workload && d.Diagnostic.Name == row.Name)
                .Select(d => d.Diagnostic.Value).FirstOrDefault() ?? "—";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Workload} | {row.Name} | {Value(Subject)} | {Value(Reference)} |");
        }

        md.AppendLine();
    }

    private static void RenderFailures(StringBuilder md, IReadOnlyList<WorkloadOutcome> outcomes)
    {
        var failures = outcomes.Where(o => o.Failure is not null).ToList();
        if (failures.Count == 0)
        {
            return;
        }

        md.AppendLine("## Failures");
        md.AppendLine();
        foreach (var failure in failures)
        {
            var firstLine = failure.Failure!.Split('\n')[0];
            md.AppendLine(CultureInfo.InvariantCulture, $"- {failure.Server}, {failure.Workload}: {firstLine}");
        }

        md.AppendLine();
    }
}

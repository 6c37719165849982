using System.Globalization;
using System.Text;
using LiteKube.Benchmarks.Report;

namespace LiteKube.Benchmarks.Api;

/// <summary>Renders an api run as Markdown: each p99 against upstream's SLO as a ratio (goal: at
/// least 10x better), and memory against the 150 MB goal and K3s's ~1.6 GB server.</summary>
public static class ApiReport
{
    public const double GoalRatio = 10;
    public const double RssGoalMiB = 150;
    public const double K3sServerRssMiB = 1.6 * 1024;

    public static string Render(ApiRunDescription run, ApiFigures figures)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# LiteKube benchmark: Kubernetes API server ({run.Size.Name})");
        md.AppendLine();
        md.AppendLine(c, $"- Date: {run.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(c, $"- Command: `{run.Command}`");
        md.AppendLine(c, $"- Machine: {run.Machine.Describe()}");
        md.AppendLine(c, $"- Load average (1 / 5 / 15 min): {run.LoadBefore} before, {run.LoadAfter} after; nice {run.Nice}");
        md.AppendLine(c, $"- Server: {run.Server}");
        md.AppendLine(c, $"- Scenario: {run.Size.Describe()}; {Method(run)}");
        md.AppendLine(c, $"- Load phase: {run.Size.Pods:N0} pods created in {figures.LoadDuration.TotalSeconds:0.0} s ({run.Size.Pods / figures.LoadDuration.TotalSeconds:0} pods/s)");
        md.AppendLine(c, $"- Watch: {figures.WatchEvents:N0} events delivered to {run.Size.Watchers:N0} watchers, {figures.BrokenWatches} watches ended early, {figures.WatchOpenRetries} watch requests sent again after a failed open");
        md.AppendLine(c, $"- Failed requests: {figures.Failures}{(figures.FirstFailure is { } f ? $" (first: {f})" : "")}");
        md.AppendLine(c, $"- Server CPU during churn: {figures.ServerCpuPercentDuringChurn:0} % of one core");
        md.AppendLine();
        md.AppendLine("| measurement | samples | p50 ms | p99 ms | upstream SLO (p99) | SLO / p99 | goal ≥ 10x |");
        md.AppendLine("|---|---:|---:|---:|---|---:|---|");
        foreach (var row in figures.Latencies)
        {
            var s = row.Summary;
            var (ratio, goal) = row.Slo is { } slo && s.Count > 0
                ? (slo.TotalMilliseconds / s.P99Ms, slo.TotalMilliseconds / s.P99Ms >= GoalRatio ? "met" : "**missed**")
                : (double.NaN, "—");
            md.AppendLine(c, $"| {row.Name} | {s.Count:N0} | {Ms(s.P50Ms)} | {Ms(s.P99Ms)} | {row.SloName} | {Ratio(ratio)} | {goal} |");
        }

        md.AppendLine();
        md.AppendLine("| memory (server process tree) | RSS MiB | split | goal ≤ 150 MB | K3s server ~1.6 GB / this |");
        md.AppendLine("|---|---:|---|---|---:|");
        foreach (var (name, memory) in new[]
                 {
                     ("idle, fresh (empty cluster)", figures.FreshIdle),
                     ($"idle after churn, {run.Size.Pods:N0} pods stored", figures.LoadedIdle),
                     ("peak during churn (sampled each second)", figures.PeakDuringChurn),
                 })
        {
            var mib = memory.Rss / 1048576.0;
            md.AppendLine(c, $"| {name} | {mib:0.0} | {memory.DescribeSplit()} | {(mib <= RssGoalMiB ? "met" : "**missed**")} | {K3sServerRssMiB / mib:0.0}x |");
        }

        return md.ToString();
    }

    private static string Method(ApiRunDescription run) =>
        $"pods of ~1 KiB JSON created by {run.Size.LoadClients} closed-loop clients; then an open-loop churn (1 create, 2 merge-patch updates, " +
        "1 delete in every 4 writes) while, beside it, single GETs and namespace LISTs run at fixed rates and cluster-wide LISTs back to back " +
        $"with a {run.Size.ClusterListPause.TotalSeconds:0} s pause; watchers spread evenly over the namespaces from the post-load resourceVersion; " +
        "plain JSON (application/json) over HTTPS/1.1 with the admin client certificate, latency by Stopwatch including the body read, " +
        "watch delivery from just before the write was sent to the event line read, percentiles by nearest rank";

    private static string Ratio(double ratio) =>
        double.IsNaN(ratio) ? "—" : ratio >= 10 ? $"{ratio.ToString("N0", CultureInfo.InvariantCulture)}x" : $"{ratio.ToString("0.00", CultureInfo.InvariantCulture)}x";

    private static string Ms(double ms) => double.IsNaN(ms) ? "—" : ms >= 100 ? ms.ToString("0", CultureInfo.InvariantCulture) : ms.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>The header facts of an api run.</summary>
public sealed record ApiRunDescription(
    ApiBenchmarkSize Size, DateTimeOffset StartedAt, string Command, MachineInfo Machine, string LoadBefore, string LoadAfter, int Nice, string Server);

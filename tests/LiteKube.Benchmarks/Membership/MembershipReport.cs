using System.Globalization;
using System.Text;
using LiteKube.Benchmarks.Report;

namespace LiteKube.Benchmarks.Membership;

/// <summary>The header facts of a membership run.</summary>
public sealed record MembershipRun(DateTimeOffset StartedAt, string Command, MachineInfo Machine, string LoadBefore, string LoadAfter, int Nice, string Server, string Addresses);

/// <summary>The scenarios' figures; a scenario that was not run (<c>--only</c>) is null.</summary>
public sealed record MembershipFigures(JoinFigures? Join, PromotionFigures? Promotion, DurationSamples? Failover);

/// <summary>Renders a membership run as Markdown: one row per figure with runs, median, max and its goal.</summary>
public static class MembershipReport
{
    public static readonly TimeSpan JoinGoal = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan FailoverGoal = TimeSpan.FromSeconds(2);

    public static string Render(MembershipRun run, MembershipFigures figures)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("# LiteKube benchmark: cluster membership (join, standby promotion, failover)");
        md.AppendLine();
        md.AppendLine(c, $"- Date: {run.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(c, $"- Command: `{run.Command}`");
        md.AppendLine(c, $"- Machine: {run.Machine.Describe()}");
        md.AppendLine(c, $"- Load average (1 / 5 / 15 min): {run.LoadBefore} before, {run.LoadAfter} after; nice {run.Nice}");
        md.AppendLine(c, $"- Servers: {run.Server}; nodes on {run.Addresses}, default ports, each its own data dir");
        md.AppendLine("- Method: join is timed from starting `litekube server --join STRING` (STRING from `litekube add-node` on n1) to the node's " +
            "ready line, to n1's status listing it with lag 0 (polled every 50 ms), and to both; joins land on 1, 2 and 3 nodes, then the " +
            "cluster starts over. Promotion: 3 voters + 1 standby, SIGKILL of a voter that does not lead, until the leader's status lists " +
            "the standby as a voter (polled every 100 ms); the killed node restarts and the roles settle before the next run. Failover: 3 voters, " +
            "SIGKILL of the leader, until a ConfigMap create through another server's Kubernetes API returns 201 (a new attempt every 50 ms, " +
            "admin client certificate, connection opened before the kill); the killed node restarts before the next run. Status is " +
            "`GET /litekube/v1/status` on the cluster port, the document `litekube status --format json` prints, read without starting " +
            "the CLI each time. Median of an even count is the mean of the middle two.");
        md.AppendLine();
        md.AppendLine("| figure | runs | median s | max s | goal | met? |");
        md.AppendLine("|---|---:|---:|---:|---|---|");
        if (figures.Join is { } join)
        {
            Row(md, "join: start → ready line", join.ReadyLine, null);
            Row(md, "join: start → caught up (lag 0 in n1's status)", join.CaughtUp, null);
            Row(md, "**join: start → Ready (both)**", join.Joined, JoinGoal, "median ≤ 5 s");
        }

        if (figures.Promotion is { } promotion)
        {
            Row(md, "standby promotion: kill -9 of a voter → standby is a voter", promotion.Total, null, "— (includes the 30 s grace by design)");
            Row(md, "standby promotion minus the 30 s grace", promotion.AfterGrace, null);
        }

        if (figures.Failover is { } failover)
        {
            Row(md, "**failover: kill -9 of the leader → first API write via another server**", failover, FailoverGoal, "median ≤ 2 s");
        }

        md.AppendLine("| worker join | — | — | — | join ≤ 5 s | not measured: there is no worker mode yet |");
        md.AppendLine();
        md.AppendLine("Every run, in seconds, in order:");
        md.AppendLine();
        foreach (var samples in new[] { figures.Join?.ReadyLine, figures.Join?.CaughtUp, figures.Join?.Joined, figures.Promotion?.Total, figures.Failover })
        {
            if (samples is not null)
            {
                md.AppendLine(c, $"- {samples.Name}: {samples.Describe()}");
            }
        }

        if (figures.Promotion?.Stopped is { } stopped)
        {
            md.AppendLine(c, $"- promotion: {stopped}");
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, DurationSamples samples, TimeSpan? goal, string goalText = "—")
    {
        var met = goal is { } g ? (samples.Count > 0 && samples.Median <= g ? "met" : "**missed**") : "—";
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {samples.Count} | {samples.Median.TotalSeconds:0.00} | {samples.Max.TotalSeconds:0.00} | {goalText} | {met} |");
    }
}

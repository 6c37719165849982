using System.Text;
using LiteKube.Datastore.Tests.Linearizability;
using LiteKube.Datastore.Tests.WatchValidation;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>The verdict on a <see cref="LoadRun"/>: the linearizability check, then every watcher
/// against the history's linearization. <see cref="Text"/> is the summary and, on a violation,
/// the explanation.</summary>
public sealed record RunReport(bool Ok, CheckVerdict Verdict, IReadOnlyList<string> WatchProblems, string Text, RunFigures Figures);

/// <summary>Counts a report prints and a benchmark or README quotes.</summary>
public sealed record RunFigures(int Operations, int Unknown, int Failed, int Writes, int WatchEvents, long Steps, TimeSpan CheckTime, int EarlyProgress);

public static class RunCheck
{
    public static RunReport Check(LoadRun run, ProgressTrust progress = ProgressTrust.Strict)
    {
        // A read whose outcome is unknown constrains nothing; leaving it out keeps the search small.
        var history = run.History.Where(h => !(h.Pending && h.Operation.Request is RangeCall)).ToArray();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var foreign = new ForeignRevisions(run.ForeignRevisions ?? new HashSet<long>());
        var result = new LinearizabilityChecker<KvState, KvOperation>(new KvModel(foreign)).Check(run.Initial, history);
        started.Stop();

        var problems = new List<string>();
        var early = 0;
        if (result.IsLinearizable)
        {
            var reference = ReferenceLog.Replay(run.Initial, result.Linearization.Select(i => history[i].Operation), foreign);
            foreach (var watch in run.Watches)
            {
                var verdict = WatchValidator.Validate(reference, watch, run.FinalRevision, progress);
                problems.AddRange(verdict.Problems);
                early += verdict.EarlyProgressNotifications;
            }
        }

        var figures = new RunFigures(
            run.History.Count,
            run.History.Count(h => h.Operation.Outcome is Unknown),
            run.History.Count(h => h.Operation.Outcome is Failed),
            run.History.Count(h => h.Operation.Request is not RangeCall),
            run.Watches.Sum(w => w.Batches.Sum(b => b.Batch.Events.Count)),
            result.Steps,
            started.Elapsed,
            early);
        var text = new StringBuilder(
            $"prefix {run.Prefix}, seed {run.Seed}: {figures.Operations} operations ({figures.Writes} not plain reads, {figures.Failed} failed, " +
            $"{figures.Unknown} unknown), revisions {run.Initial.Revision}..{run.FinalRevision}, {figures.WatchEvents} watch events; " +
            (foreign.Count > 0 ? $"{foreign.Count} revisions by other writers; " : "") +
            $"checker {result.Verdict} in {figures.Steps:N0} steps, {figures.CheckTime.TotalMilliseconds:0} ms; {problems.Count} watch problems" +
            (progress == ProgressTrust.Strict ? "" : $"; {early} progress notifications ahead of their revision's events (tolerated: {progress})"));
        if (!result.IsLinearizable)
        {
            text.AppendLine().Append(result.Explanation);
            ViolationEvidence.Append(text, run, result);
        }
        foreach (var unknown in run.History.Where(h => h.Operation.Outcome is Unknown && h.Operation.Request is not RangeCall).Take(10))
        {
            text.AppendLine().Append($"unknown outcome: client {unknown.Client} {new KvModel().Describe(unknown.Operation)}");
        }
        foreach (var problem in problems.Take(20))
        {
            text.AppendLine().Append(problem);
        }
        return new RunReport(result.IsLinearizable && problems.Count == 0, result.Verdict, problems, text.ToString(), figures);
    }
}

using System.Text;
using LiteKube.Datastore.Tests.Linearizability;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>
/// What a person needs next to the checker's explanation of a violation: the watchers' record of
/// the revisions around where the search got stuck (a watch stream is the store's own account of
/// which write took which revision), and the whole history in a file for a slower look.
/// </summary>
/// <remarks>A fault run cannot be replayed (its timing is real), so the evidence is kept the
/// first time.</remarks>
internal static class ViolationEvidence
{
    private const int Before = 6;
    private const int After = 3;

    public static void Append(StringBuilder text, LoadRun run, CheckResult result)
    {
        if (result.StuckState is KvState stuck && run.Watches.MaxBy(w => w.Batches.Count) is { } watch)
        {
            var from = Math.Max(run.Initial.Revision + 1, stuck.Revision - Before);
            var to = stuck.Revision + After;
            text.AppendLine().Append($"what watcher {watch.Name} saw at revisions {from}..{to}:");
            foreach (var batch in watch.Batches.Select(b => b.Batch).Where(b => b.Revision >= from && b.Revision <= to))
            {
                foreach (var e in batch.Events)
                {
                    text.AppendLine().Append($"    rev {batch.Revision}: {KvText.Event(e)}");
                }
            }
        }

        try
        {
            var path = Write(run);
            text.AppendLine().Append($"the whole history and watch record: {path}");
        }
        catch (IOException e)
        {
            text.AppendLine().Append($"the whole history could not be written: {e.Message}");
        }
    }

    private static string Write(LoadRun run)
    {
        var directory = Path.Combine(Path.GetTempPath(), "litekube-violations");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{run.Prefix.Trim('/').Replace('/', '-')}-{run.Seed}.txt");
        var origin = run.History.Count == 0 ? 0 : run.History.Min(h => h.Call);
        var model = new KvModel();
        using var file = new StreamWriter(path);
        file.WriteLine($"prefix {run.Prefix}, seed {run.Seed}, initial revision {run.Initial.Revision}, final revision {run.FinalRevision}");
        file.WriteLine("# history, in the order the calls completed: index, client, invoked .. returned (ms), operation");
        for (var i = 0; i < run.History.Count; i++)
        {
            var h = run.History[i];
            var returned = h.Pending ? "unknown" : Milliseconds(h.Return - origin).ToString("0.###");
            file.WriteLine($"#{i} c{h.Client} [{Milliseconds(h.Call - origin):0.###} .. {returned}] {model.Describe(h.Operation)}");
        }
        foreach (var watch in run.Watches)
        {
            file.WriteLine($"# watcher {watch.Name}");
            foreach (var observed in watch.Batches)
            {
                var at = Milliseconds(observed.ReceivedAt - origin).ToString("0.###");
                if (observed.Batch.Events.Count == 0)
                {
                    file.WriteLine($"[{at}] progress rev {observed.Batch.Revision}");
                }
                foreach (var e in observed.Batch.Events)
                {
                    file.WriteLine($"[{at}] rev {observed.Batch.Revision}: {KvText.Event(e)}");
                }
            }
        }
        return path;
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}

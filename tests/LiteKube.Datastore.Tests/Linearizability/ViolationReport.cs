using System.Text;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>
/// Writes the few lines a person needs when no linearization exists: how far the best order got,
/// the model state there, the operations linearized just before, and for every operation that
/// could have come next why the model refused it.
/// </summary>
internal sealed class ViolationReport<TState, TOp>(
    ISequentialModel<TState, TOp> model, IReadOnlyList<HistoryEntry<TOp>> history, double ticksPerMillisecond)
    where TState : notnull
{
    private readonly long _origin = history.Count == 0 ? 0 : history.Min(h => h.Call);

    public string Write(CheckVerdict verdict, LinearizabilityChecker<TState, TOp>.DeadEnd? deepest, long steps)
    {
        var text = new StringBuilder();
        text.AppendLine(verdict == CheckVerdict.GaveUp
            ? $"The checker gave up after {steps:N0} steps without deciding ({history.Count} operations); nothing is proved."
            : $"Not linearizable: no order of the {history.Count} operations fits real time and the model ({steps:N0} steps).");
        if (deepest is null)
        {
            return text.ToString();
        }

        text.AppendLine($"The longest linearizable prefix has {deepest.Depth} operations; the model state after it:");
        foreach (var line in model.Describe(deepest.State).Split('\n'))
        {
            text.AppendLine($"    {line}");
        }
        if (deepest.LastLinearized.Count > 0)
        {
            text.AppendLine("  its last operations, in order:");
            foreach (var operation in deepest.LastLinearized)
            {
                text.AppendLine($"    {Line(operation)}");
            }
        }

        text.AppendLine($"  {Name(deepest.Blocker)} had returned by then, but no operation that could come next fits:");
        foreach (var operation in deepest.Candidates)
        {
            var step = model.Step(deepest.State, history[operation].Operation);
            var why = step.Ok ? "fits here, but every order continuing from it failed later" : step.Mismatch;
            text.AppendLine($"    {Line(operation)}");
            text.AppendLine($"        -> {why}");
        }
        return text.ToString();
    }

    private string Name(int operation) => $"#{operation} (client {history[operation].Client})";

    private string Line(int operation)
    {
        var entry = history[operation];
        var returned = entry.Pending ? "unknown outcome" : $"{Milliseconds(entry.Return)} ms";
        return $"{Name(operation)} [{Milliseconds(entry.Call)} ms .. {returned}] {model.Describe(entry.Operation)}";
    }

    private string Milliseconds(long ticks) => ((ticks - _origin) / ticksPerMillisecond).ToString("0.###");
}

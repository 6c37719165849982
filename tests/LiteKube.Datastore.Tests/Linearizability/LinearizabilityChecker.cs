namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>
/// Decides whether a concurrent history is linearizable with respect to a sequential model:
/// the Wing &amp; Gong / Lowe search that Porcupine (anishathalye/porcupine) and etcd's robustness
/// tests use. It walks the real-time ordered entries, linearizes any operation whose call comes
/// before the first outstanding return and whose observed outcome the model accepts, and
/// backtracks at a return it could not reach. A cache of (linearized-set, state) pairs prunes
/// orders that lead to a configuration already explored.
/// </summary>
/// <remarks>One pruning beyond Porcupine's: an operation that fits and leaves the state unchanged
/// (a read, a failed call) is linearized where it first fits and never reconsidered. That is
/// safe: every operation that had to precede it is already linearized (it is a candidate), so in
/// any linearization that places it later it can be moved to here without changing what anyone
/// observes. Without this, k concurrent reads multiply the configurations by 2^k.
/// The history is not partitioned by key: the etcd model's global revision ties every
/// key together. Histories of a few thousand operations check in well under a second when
/// responses carry revisions; <see cref="MaxSteps"/> bounds the rest.</remarks>
public sealed class LinearizabilityChecker<TState, TOp>(ISequentialModel<TState, TOp> model) where TState : notnull
{
    /// <summary>Steps before the search gives up (a step is one model call or one backtrack).</summary>
    public long MaxSteps { get; init; } = 10_000_000;

    /// <summary>For the report only: how many history ticks make a millisecond.</summary>
    public double TicksPerMillisecond { get; init; } = System.Diagnostics.Stopwatch.Frequency / 1000.0;

    public CheckResult Check(TState initial, IReadOnlyList<HistoryEntry<TOp>> history)
    {
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Return < history[i].Call)
            {
                throw new ArgumentException($"operation #{i} returns ({history[i].Return}) before its call ({history[i].Call})", nameof(history));
            }
        }

        var search = new Search(model, history, MaxSteps);
        var verdict = search.Run(initial);
        var explanation = verdict == CheckVerdict.Linearizable
            ? ""
            : new ViolationReport<TState, TOp>(model, history, TicksPerMillisecond).Write(verdict, search.Deepest, search.Steps);
        return new CheckResult(verdict, verdict == CheckVerdict.Linearizable ? search.Linearization() : [], explanation, search.Steps, search.Deepest is { } deepest ? deepest.State : null);
    }

    /// <summary>The deepest point the search reached: where to look when no linearization exists.</summary>
    internal sealed record DeadEnd(int Depth, TState State, IReadOnlyList<int> LastLinearized, IReadOnlyList<int> Candidates, int Blocker);

    private sealed class Search(ISequentialModel<TState, TOp> model, IReadOnlyList<HistoryEntry<TOp>> history, long maxSteps)
    {
        private readonly EntryList _entries = EntryList.Build(history);
        private readonly LinearizedSet _linearized = new(history.Count);
        private readonly HashSet<Configuration> _cache = [];
        private readonly Stack<(int Call, TState Before, bool Forced)> _stack = new();

        public long Steps { get; private set; }

        public DeadEnd? Deepest { get; private set; }

        public CheckVerdict Run(TState state)
        {
            var entry = _entries.Next(_entries.Head);
            while (!_entries.IsEmpty)
            {
                if (++Steps > maxSteps)
                {
                    return CheckVerdict.GaveUp;
                }

                if (EntryList.IsCall(entry))
                {
                    var operation = EntryList.Operation(entry);
                    var step = model.Step(state, history[operation].Operation);
                    if (step.Ok && TryVisit(operation, step.Next))
                    {
                        // Forced only when the outcome is known: a returned operation that leaves the
                        // state alone here does so wherever its result fits, so taking it now loses
                        // nothing. A pending one (unknown outcome) may be a no-op here and a write later
                        // (a delete of a key not yet created), so it stays a choice point.
                        var preserving = !history[operation].Pending && EqualityComparer<TState>.Default.Equals(step.Next, state);
                        _stack.Push((entry, state, preserving));
                        state = step.Next;
                        _entries.Lift(entry);
                        entry = _entries.Next(_entries.Head);
                        continue;
                    }
                    entry = _entries.Next(entry);
                    continue;
                }

                // A return: its operation should have been linearized by now, and was not.
                RememberIfDeepest(state, entry);
                if (_stack.Count == 0)
                {
                    return CheckVerdict.Violation;
                }
                var (call, before, forced) = Backtrack();
                if (forced)
                {
                    // A state-preserving operation is never a choice point: give up this level too.
                    entry = call + 1;
                    state = before;
                    continue;
                }
                state = before;
                entry = _entries.Next(call);
            }
            return CheckVerdict.Linearizable;
        }

        private (int Call, TState Before, bool Forced) Backtrack()
        {
            var top = _stack.Pop();
            _linearized.Toggle(EntryList.Operation(top.Call));
            _entries.Unlift(top.Call);
            return top;
        }

        public IReadOnlyList<int> Linearization() => _stack.Reverse().Select(s => EntryList.Operation(s.Call)).ToArray();

        /// <summary>Marks the operation linearized unless (set, state) was seen before.</summary>
        private bool TryVisit(int operation, TState next)
        {
            _linearized.Toggle(operation);
            if (_cache.Contains(new Configuration(_linearized, next)))
            {
                _linearized.Toggle(operation);
                return false;
            }
            _cache.Add(new Configuration(_linearized.Snapshot(), next));
            return true;
        }

        private void RememberIfDeepest(TState state, int blockingReturn)
        {
            if (Deepest is { } deepest && deepest.Depth >= _stack.Count)
            {
                return;
            }
            var candidates = new List<int>();
            for (var node = _entries.Next(_entries.Head); node != blockingReturn; node = _entries.Next(node))
            {
                candidates.Add(EntryList.Operation(node));
            }
            var last = _stack.Take(5).Select(s => EntryList.Operation(s.Call)).Reverse().ToArray();
            Deepest = new DeadEnd(_stack.Count, state, last, candidates, EntryList.Operation(blockingReturn));
        }

        private readonly record struct Configuration(LinearizedSet Set, TState State)
        {
            public bool Equals(Configuration other) => Set.Equals(other.Set) && EqualityComparer<TState>.Default.Equals(State, other.State);

            public override int GetHashCode() => HashCode.Combine(Set.GetHashCode(), State.GetHashCode());
        }
    }
}

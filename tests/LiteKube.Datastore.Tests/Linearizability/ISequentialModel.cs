namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>
/// A sequential specification for <see cref="LinearizabilityChecker{TState,TOp}"/>: a state and a
/// step function that says whether an operation, with the outcome a client observed, could have
/// run in that state, and what the state is afterwards.
/// </summary>
/// <remarks>States must be immutable and implement value equality and a good hash: the checker
/// memoises (set of linearized operations, state) pairs, as Porcupine does.</remarks>
public interface ISequentialModel<TState, in TOp> where TState : notnull
{
    ModelStep<TState> Step(TState state, TOp operation);

    /// <summary>One line a person reads in a violation report.</summary>
    string Describe(TOp operation);

    /// <summary>A few lines a person reads in a violation report.</summary>
    string Describe(TState state);
}

/// <summary>Either the state after the operation, or why the observed outcome is impossible.</summary>
public readonly record struct ModelStep<TState>(bool Ok, TState Next, string? Mismatch)
{
    public static ModelStep<TState> Accept(TState next) => new(true, next, null);

    public static ModelStep<TState> Reject(TState unchanged, string why) => new(false, unchanged, why);
}

/// <summary>One client operation with its real-time bounds (monotonic ticks, e.g.
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>). An operation whose outcome is unknown
/// (timeout, Unavailable) has <see cref="Return"/> = <see cref="long.MaxValue"/>: it may take effect
/// at any point after its call, or never.</summary>
public sealed record HistoryEntry<TOp>(int Client, long Call, long Return, TOp Operation)
{
    public const long Never = long.MaxValue;

    public bool Pending => Return == Never;
}

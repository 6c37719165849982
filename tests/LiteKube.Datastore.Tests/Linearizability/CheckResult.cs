namespace LiteKube.Datastore.Tests.Linearizability;

public enum CheckVerdict
{
    /// <summary>A linearization exists (<see cref="CheckResult.Linearization"/>).</summary>
    Linearizable,
    /// <summary>No order of the operations fits both real time and the model.</summary>
    Violation,
    /// <summary>The search ran out of its step budget; nothing was proved either way.</summary>
    GaveUp,
}

/// <summary>What <see cref="LinearizabilityChecker{TState,TOp}"/> found. <see cref="Explanation"/>
/// is empty for a linearizable history and otherwise says, in a few lines, where the search got
/// stuck, and <see cref="StuckState"/> is the model state at the deepest point it reached.</summary>
public sealed record CheckResult(CheckVerdict Verdict, IReadOnlyList<int> Linearization, string Explanation, long Steps, object? StuckState = null)
{
    public bool IsLinearizable => Verdict == CheckVerdict.Linearizable;
}

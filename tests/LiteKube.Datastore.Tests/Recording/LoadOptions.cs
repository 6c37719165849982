namespace LiteKube.Datastore.Tests.Recording;

/// <summary>How much load <see cref="LoadGenerator"/> makes. The defaults keep a run to a couple
/// of seconds and a history the checker decides in well under a second.</summary>
public sealed record LoadOptions
{
    public int Clients { get; init; } = 4;

    /// <summary>Size of the key set: small, so that clients collide on keys.</summary>
    public int Keys { get; init; } = 5;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Stops earlier once this many operations were issued (all clients together).</summary>
    public int MaxOperations { get; init; } = 3000;

    /// <summary>Seeds the operation mix (printed in reports so a run's mix can be repeated).</summary>
    public int Seed { get; init; } = Random.Shared.Next();

    /// <summary>Something else writes to the store during the run, outside the run's prefix (a
    /// litekube server's own API server and node agent): a watch on the whole keyspace records
    /// those revisions for the model (<see cref="Linearizability.ForeignRevisions"/>).</summary>
    public bool OtherWriters { get; init; }

    /// <summary>A call still running after this is abandoned and recorded with an unknown outcome.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After an unknown outcome, how often a client probes the store (an unrecorded read)
    /// before it issues anything else.</summary>
    public TimeSpan BackOff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the final read and the watchers get to catch up after the load.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads <c>LITEKUBE_CHECKER_SECONDS</c> and <c>LITEKUBE_CHECKER_OPS</c> so that a
    /// longer run is the same test with a bigger budget.</summary>
    public LoadOptions FromEnvironment()
    {
        var options = this;
        if (int.TryParse(Environment.GetEnvironmentVariable("LITEKUBE_CHECKER_SECONDS"), out var seconds) && seconds > 0)
        {
            options = options with { Duration = TimeSpan.FromSeconds(seconds) };
        }
        if (int.TryParse(Environment.GetEnvironmentVariable("LITEKUBE_CHECKER_OPS"), out var ops) && ops > 0)
        {
            options = options with { MaxOperations = ops };
        }
        if (int.TryParse(Environment.GetEnvironmentVariable("LITEKUBE_CHECKER_SEED"), out var seed))
        {
            options = options with { Seed = seed };
        }
        return options;
    }
}

namespace LiteKube.Datastore.EtcdApi;

/// <summary>One watch of a watch stream: the store's watch and the task that forwards its
/// batches. Whoever removes it from the stream's table stops and disposes it.</summary>
internal sealed class ActiveWatch(long id, IWatch watch, CancellationToken streamToken)
{
    private readonly CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(streamToken);

    public long Id { get; } = id;

    public IWatch Watch { get; } = watch;

    public CancellationToken Token => stop.Token;

    /// <summary>Progress requests this watch has not answered yet, oldest first.
    /// Guarded by the stream's lock.</summary>
    public Queue<ProgressRound> PendingRounds { get; } = new();

    public Task Pump { get; set; } = Task.CompletedTask;

    /// <summary>From outside the pump: stops it, waits for it, then releases the store's watch,
    /// so that nothing of this watch is sent after the caller's next response.</summary>
    public async Task StopAsync()
    {
        stop.Cancel();
        try
        {
            await Pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The pump ends by cancellation; anything else it logged itself.
        }

        await ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>From the pump itself, once it has sent its last response.</summary>
    public async Task ReleaseAsync()
    {
        await Watch.DisposeAsync().ConfigureAwait(false);
        stop.Dispose();
    }
}

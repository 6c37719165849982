using System.Diagnostics;
using System.Threading.Channels;
using LiteKube.Datastore;
using LiteKube.Datastore.Tests.WatchValidation;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>Drains one watch into a <see cref="WatchRecord"/> until the watch ends or is stopped.
/// Owns the watch.</summary>
public sealed class WatchRecorder : IAsyncDisposable
{
    private readonly IWatch _watch;
    private readonly Task _pump;
    private readonly CancellationTokenSource _stop = new();

    public WatchRecorder(IKeyValueStore store, string name, WatchRequest request)
    {
        Record = new WatchRecord(name, request);
        _watch = store.Watch(request);
        _pump = PumpAsync();
    }

    public WatchRecord Record { get; }

    public void RequestProgress() => _watch.RequestProgress();

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var batch in _watch.Batches.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                Record.Add(Stopwatch.GetTimestamp(), batch);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChannelClosedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        await _watch.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

using System.Threading.Channels;

namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>A store watch that reports its (first) disposal; see <see cref="WatchTrackingStore"/>.</summary>
internal sealed class TrackedWatch(IWatch inner, Action onDispose) : IWatch
{
    private int disposed;

    public ChannelReader<WatchBatch> Batches => inner.Batches;

    public void RequestProgress() => inner.RequestProgress();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await inner.DisposeAsync();
            onDispose();
        }
    }
}

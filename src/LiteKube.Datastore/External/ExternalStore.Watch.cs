namespace LiteKube.Datastore.External;

/// <summary>Watches: one etcd stream each, tracked so that closing the store ends them.</summary>
public sealed partial class ExternalStore
{
    /// <summary>A watch "from now" (StartRevision 0) starts after the newest revision this store
    /// has seen, because the stream is created asynchronously: a write this client finished
    /// before the call must not be seen, one it starts after the call must be, however the
    /// stream and the write race to etcd. Before any call has answered it is etcd's own "now"
    /// (<see cref="WaitUntilReachableAsync"/> at startup settles that).</summary>
    public IWatch Watch(WatchRequest request)
    {
        ThrowIfClosed();
        var seen = LastSeenRevision;
        var start = request.StartRevision != 0 || seen == 0 ? request.StartRevision : seen + 1;
        var watch = new ExternalWatch(request, start, pool, options, logger, Forget);
        lock (watches)
        {
            if (Volatile.Read(ref closed) == 0)
            {
                watches.Add(watch);
                return watch;
            }
        }
        _ = watch.DisposeAsync().AsTask();
        throw ExternalErrors.Closed();
    }

    private void Forget(ExternalWatch watch)
    {
        lock (watches)
        {
            watches.Remove(watch);
        }
    }
}

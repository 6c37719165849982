using System.Threading.Channels;

namespace LiteKube.ApiServer.Registry.Watching;

/// <summary>One client watch on a <see cref="WatchCache"/>: its filter and a bounded buffer.
/// A client that does not keep up is dropped (its channel completes), as upstream does; the
/// client then lists and watches again.</summary>
public sealed class CacheWatcher
{
    private const int Buffer = 1000;

    private readonly Channel<(WatchEventKind Kind, CachedEvent Event)> _channel =
        Channel.CreateBounded<(WatchEventKind, CachedEvent)>(new BoundedChannelOptions(Buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public CacheWatcher(WatchFilter filter, long afterRevision)
    {
        Filter = filter;
        AfterRevision = afterRevision;
    }

    public WatchFilter Filter { get; }

    /// <summary>Only events with a revision above this are delivered.</summary>
    public long AfterRevision { get; }

    public ChannelReader<(WatchEventKind Kind, CachedEvent Event)> Events => _channel.Reader;

    /// <summary>False when the watcher had to be dropped.</summary>
    internal bool Offer(CachedEvent e)
    {
        if (e.Revision <= AfterRevision || Filter.Translate(e) is not { } translated)
        {
            return true;
        }

        if (_channel.Writer.TryWrite(translated))
        {
            return true;
        }

        _channel.Writer.TryComplete(new WatcherTooSlowException());
        return false;
    }

    internal void Close(Exception? error = null) => _channel.Writer.TryComplete(error);
}

/// <summary>The watcher fell too far behind and was dropped.</summary>
public sealed class WatcherTooSlowException() : Exception("the watch was too slow to keep up and was closed; list and watch again");

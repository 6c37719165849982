namespace LiteKube.Datastore.EtcdApi;

/// <summary>
/// One WatchProgressRequest of a watch stream, waiting for every watch of the stream to report
/// how far it has delivered. The answer is the lowest of those revisions: every later event of
/// the stream, from any of its watches, is above it. Guarded by the stream's lock.
/// </summary>
internal sealed class ProgressRound(int watches)
{
    private int pending = watches;

    public long Revision { get; private set; } = long.MaxValue;

    /// <summary>Returns true when this was the last watch to report.</summary>
    public bool Report(long revision)
    {
        Revision = Math.Min(Revision, revision);
        return --pending == 0;
    }

    /// <summary>A watch that ended owes nothing; returns true when the round is complete.</summary>
    public bool Release() => --pending == 0;
}

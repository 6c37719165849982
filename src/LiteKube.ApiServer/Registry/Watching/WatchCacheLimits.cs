namespace LiteKube.ApiServer.Registry.Watching;

/// <summary>
/// How much history one <see cref="WatchCache"/> keeps: at most <see cref="Events"/> changes and
/// at most <see cref="Bytes"/> of their JSON, whichever bound is met first. The byte bound keeps a
/// resource of large objects (1 MiB ConfigMaps) from holding gigabytes; the count bound is what a
/// resource of small objects meets. A watch from before the oldest kept change gets 410 Gone.
/// </summary>
public sealed record WatchCacheLimits(int Events, long Bytes)
{
    /// <summary>10,000 changes (a minute of history at over 150 writes/s) and 16 MiB: about
    /// 12,000 pods of 1.3 KiB, so for typical objects the count is the bound.</summary>
    public static WatchCacheLimits Default { get; } = new(10_000, 16L * 1024 * 1024);
}

using System.Globalization;

namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// Resident memory in bytes, as /proc/PID/status splits it: anonymous (heaps, caches, arenas),
/// file-backed (mapped binaries and libraries, mmapped databases such as etcd's bbolt file) and
/// shared anonymous memory (shmem: e.g. the .NET runtime's double-mapped JIT code pages).
/// The split says where a difference comes from.
/// </summary>
public sealed record MemoryUsage(long Rss, long Anonymous, long FileBacked, long Shared)
{
    public static MemoryUsage operator +(MemoryUsage a, MemoryUsage b) =>
        new(a.Rss + b.Rss, a.Anonymous + b.Anonymous, a.FileBacked + b.FileBacked, a.Shared + b.Shared);

    public static MemoryUsage Zero { get; } = new(0, 0, 0, 0);

    /// <summary>"anon 75.4 + file 27.1 + shmem 49.0 MiB".</summary>
    public string DescribeSplit() => string.Create(CultureInfo.InvariantCulture,
        $"anon {Anonymous / 1048576.0:0.0} + file {FileBacked / 1048576.0:0.0} + shmem {Shared / 1048576.0:0.0} MiB");
}

using System.Globalization;

namespace LiteKube.Benchmarks.Servers;

/// <summary>Reads memory and CPU of a process and all its descendants from /proc.</summary>
public static class ProcessTreeStats
{
    // /proc reports CPU times in USER_HZ, which the Linux ABI fixes at 100 on every architecture.
    private const double TicksPerSecond = 100;

    public static MemoryUsage ReadMemory(int rootPid) =>
        Descendants(rootPid).Select(ReadMemoryOf).Aggregate(MemoryUsage.Zero, (sum, one) => sum + one);

    public static CpuTimes ReadCpuTimes(int rootPid)
    {
        long user = 0, system = 0;
        foreach (var pid in Descendants(rootPid))
        {
            if (TryReadStatFields(pid) is { } fields)
            {
                user += long.Parse(fields[11], CultureInfo.InvariantCulture);
                system += long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return new CpuTimes(TimeSpan.FromSeconds(user / TicksPerSecond), TimeSpan.FromSeconds(system / TicksPerSecond));
    }

    /// <summary>The root and every process whose parent chain leads to it.</summary>
    private static List<int> Descendants(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && TryReadStatFields(pid) is { } fields)
            {
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    private static MemoryUsage ReadMemoryOf(int pid)
    {
        try
        {
            var kib = File.ReadLines($"/proc/{pid}/status")
                .Select(line => line.Split(':', 2))
                .Where(f => f.Length == 2 && f[0] is "VmRSS" or "RssAnon" or "RssFile" or "RssShmem")
                .ToDictionary(f => f[0], f => long.Parse(f[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024);
            return new MemoryUsage(
                kib.GetValueOrDefault("VmRSS"),
                kib.GetValueOrDefault("RssAnon"),
                kib.GetValueOrDefault("RssFile"),
                kib.GetValueOrDefault("RssShmem"));
        }
        catch (IOException)
        {
            // The process exited between listing and reading: it holds no memory.
            return MemoryUsage.Zero;
        }
    }

    /// <summary>
    /// Fields of /proc/PID/stat after the command name, so index 0 is field 3 (state), 1 is ppid,
    /// 11 is utime and 12 is stime. The name is in parentheses and may itself contain spaces.
    /// </summary>
    private static string[]? TryReadStatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

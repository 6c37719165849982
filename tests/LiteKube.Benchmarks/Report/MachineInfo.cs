using System.Globalization;

namespace LiteKube.Benchmarks.Report;

/// <summary>What the numbers were measured on, read from /proc and /sys (Linux only).</summary>
public sealed record MachineInfo(int Processors, string CpuModel, double MemoryGiB, string Disk, string Kernel)
{
    public static MachineInfo Collect(string workDirectory) => new(
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name") ?? "unknown CPU",
        (ParseKib(FirstValue("/proc/meminfo", "MemTotal")) ?? 0) / (1024.0 * 1024.0),
        DescribeDisk(workDirectory),
        Read("/proc/sys/kernel/osrelease") ?? "unknown kernel");

    /// <summary>The 1, 5 and 15 minute load averages: other work on the machine skews every figure.</summary>
    public static string LoadAverage() =>
        string.Join(" / ", (Read("/proc/loadavg") ?? "? ? ?").Split(' ').Take(3));

    /// <summary>
    /// The scheduling priority of this process, which the servers inherit. On a shared machine
    /// `nice -n -10 dotnet run …` keeps other work from skewing the figures, equally for both servers.
    /// </summary>
    public static int NiceValue()
    {
        var stat = Read("/proc/self/stat") ?? "";
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 16 && int.TryParse(fields[16], CultureInfo.InvariantCulture, out var nice) ? nice : 0;
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Processors} CPUs ({CpuModel}), {MemoryGiB:0.0} GiB RAM, data dirs on {Disk}, Linux {Kernel}");

    /// <summary>The device and filesystem holding the data dirs, and whether the kernel calls it rotational.</summary>
    private static string DescribeDisk(string path)
    {
        var full = Path.GetFullPath(path);
        var mount = (Read("/proc/mounts") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(f => f.Length > 2 && (full == f[1] || full.StartsWith(f[1].TrimEnd('/') + "/", StringComparison.Ordinal)))
            .MaxBy(f => f[1].Length);
        if (mount is null)
        {
            return "unknown disk";
        }

        var device = mount[0];
        var block = Path.GetFileName(device);
        var rotational = Read($"/sys/block/{block}/queue/rotational") switch
        {
            "0" => ", non-rotational",
            "1" => ", rotational per kernel",
            _ => "",
        };
        var size = long.TryParse(Read($"/sys/block/{block}/size"), CultureInfo.InvariantCulture, out var sectors)
            ? string.Create(CultureInfo.InvariantCulture, $", {sectors * 512 / 1e9:0} GB")
            : "";
        var model = Read($"/sys/block/{block}/device/model") is { Length: > 0 } m ? $" {m}" : "";
        var virtio = File.Exists($"/sys/block/{block}/device/features") || block.StartsWith("vd", StringComparison.Ordinal) ? " (virtio)" : "";
        return $"{device}{model}{virtio} {mount[2]} mounted at {mount[1]}{size}{rotational}";
    }

    private static string? FirstValue(string file, string key) =>
        (Read(file) ?? "").Split('\n')
            .Where(line => line.StartsWith(key, StringComparison.Ordinal) && line.Contains(':'))
            .Select(line => line[(line.IndexOf(':') + 1)..].Trim())
            .FirstOrDefault();

    private static double? ParseKib(string? value) =>
        value is not null && double.TryParse(value.Split(' ')[0], CultureInfo.InvariantCulture, out var kib) ? kib : null;

    private static string? Read(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

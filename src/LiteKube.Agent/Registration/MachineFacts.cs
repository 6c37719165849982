using System.Runtime.InteropServices;

namespace LiteKube.Agent.Registration;

/// <summary>What a Node reports about its machine (capacity and system info), read once at start.</summary>
public sealed record MachineFacts(
    int Cpus,
    long MemoryBytes,
    long EphemeralStorageBytes,
    string KernelVersion,
    string OsImage,
    string Architecture,
    string MachineId,
    string BootId)
{
    /// <summary>Reads /proc and /etc (the I/O edge); <paramref name="dataDirectory"/> is where
    /// ephemeral storage lives. Anything unreadable is reported empty or 0, not guessed.</summary>
    public static MachineFacts Read(string dataDirectory) => new(
        Environment.ProcessorCount,
        MemTotalBytes(File.Exists("/proc/meminfo") ? File.ReadAllText("/proc/meminfo") : ""),
        DiskBytes(dataDirectory),
        ReadFirstLine("/proc/sys/kernel/osrelease"),
        PrettyName(File.Exists("/etc/os-release") ? File.ReadAllText("/etc/os-release") : ""),
        GoArchitecture(RuntimeInformation.OSArchitecture),
        ReadFirstLine("/etc/machine-id"),
        ReadFirstLine("/proc/sys/kernel/random/boot_id"));

    /// <summary>"MemTotal:       24576000 kB" → bytes.</summary>
    internal static long MemTotalBytes(string meminfo)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["MemTotal:", var kib, "kB"] && long.TryParse(kib, out var value))
            {
                return value * 1024;
            }
        }
        return 0;
    }

    /// <summary>PRETTY_NAME="Debian GNU/Linux 12 (bookworm)" → the name, as kubelet reports it.</summary>
    internal static string PrettyName(string osRelease)
    {
        foreach (var line in osRelease.Split('\n'))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim().Trim('"');
            }
        }
        return "Linux";
    }

    /// <summary>Kubernetes names architectures as Go does (amd64, arm64), and so do node selectors.</summary>
    internal static string GoArchitecture(System.Runtime.InteropServices.Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    private static long DiskBytes(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).TotalSize;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() ?? "" : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}

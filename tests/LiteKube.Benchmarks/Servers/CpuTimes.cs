namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// CPU time split as the kernel accounts it: user (the server's own code) and system (syscalls:
/// fsync, network, page faults). The split hints where a server spends more than another.
/// </summary>
public sealed record CpuTimes(TimeSpan User, TimeSpan System)
{
    public TimeSpan Total => User + System;

    public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.User - b.User, a.System - b.System);

    public static CpuTimes operator +(CpuTimes a, CpuTimes b) => new(a.User + b.User, a.System + b.System);

    public static CpuTimes Zero { get; } = new(TimeSpan.Zero, TimeSpan.Zero);
}

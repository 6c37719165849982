using System.Diagnostics;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Measurement;

/// <summary>
/// CPU used by the server and by this load generator over an interval. On a small machine the
/// generator competes with the server for cores, so both are reported beside every throughput.
/// </summary>
public sealed class CpuMeter
{
    private readonly IBenchmarkServer _server;
    private readonly CpuTimes _server0;
    private readonly TimeSpan _generator0;
    private readonly long _start;

    private CpuMeter(IBenchmarkServer server)
    {
        _server = server;
        _server0 = server.ReadCpuTimes();
        _generator0 = Process.GetCurrentProcess().TotalProcessorTime;
        _start = Stopwatch.GetTimestamp();
    }

    public static CpuMeter Start(IBenchmarkServer server) => new(server);

    public CpuUsage Stop() => new(
        _server.ReadCpuTimes() - _server0,
        Process.GetCurrentProcess().TotalProcessorTime - _generator0,
        Stopwatch.GetElapsedTime(_start));
}

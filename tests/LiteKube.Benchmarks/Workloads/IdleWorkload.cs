using LiteKube.Benchmarks.Measurement;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// What a member costs while nobody uses it: CPU (heartbeats, timers, background compaction)
/// over a quiet interval after start-up settled (the runner waits for it, <see cref="StartupSettle"/>),
/// at least some seconds after start, and resident memory, per member (a cluster's sums divided by its size).
/// </summary>
public sealed class IdleWorkload : IWorkload
{
    private static readonly TimeSpan SettleAfterStart = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(20);

    public bool NeedsWarmServer => false;

    public string Name => "idle, per member";

    public async Task<WorkloadOutcome> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var server = context.Server;
        var members = server is IBenchmarkCluster cluster ? cluster.Members.Count : 1;
        var settle = SettleAfterStart - System.Diagnostics.Stopwatch.GetElapsedTime(server.ReadyTimestamp);
        if (settle > TimeSpan.Zero)
        {
            await Task.Delay(settle, cancellationToken);
        }

        var meter = CpuMeter.Start(server);
        await Task.Delay(Measured, cancellationToken);
        var cpu = meter.Stop();
        var memory = server.ReadMemory();
        Figure[] figures =
        [
            Figure.Cpu(Name, "CPU % of a core", cpu.ServerCores * 100 / members),
            Figure.Memory(Name, "RSS MiB", memory.Rss / members),
        ];
        Diagnostic[] diagnostics = [new(Name, "RSS split (all members)", memory.DescribeSplit())];
        return new WorkloadOutcome(Name, server.Name, figures, diagnostics);
    }
}

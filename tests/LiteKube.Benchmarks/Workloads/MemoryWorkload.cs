using System.Diagnostics;
using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using LiteKube.Benchmarks.Clients;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Resident memory of a fresh server: idle a few seconds after start, then after writing
/// <c>keys</c> distinct keys of 1 KiB random (incompressible) values and idling again.
/// </summary>
public sealed class MemoryWorkload(int keys) : IWorkload
{
    private const int ValueSize = 1024;
    private const int Writers = 16;
    private static readonly TimeSpan IdleAfterStart = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan IdleAfterWrites = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FillTimeLimit = TimeSpan.FromMinutes(10);

    public bool NeedsWarmServer => false;

    public bool NeedsSettledServer => false;

    public string Name => "memory";

    private string LoadedMetric => $"RSS MiB after {keys / 1000}k keys × 1 KiB";

    public async Task<WorkloadOutcome> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var server = context.Server;
        var idleFor = IdleAfterStart - Stopwatch.GetElapsedTime(server.ReadyTimestamp);
        if (idleFor > TimeSpan.Zero)
        {
            await Task.Delay(idleFor, cancellationToken);
        }

        var idle = server.ReadMemory();
        var connections = EtcdConnection.OpenMany(server.Endpoint, Writers);
        LoadResult fill;
        try
        {
            var keyNames = EtcdKeys.Numbered("bench-mem/", keys);
            fill = await ClosedLoopLoad.RunCountAsync(Writers, keys, FillTimeLimit, async (caller, i, ct) =>
            {
                var value = new byte[ValueSize];
                Random.Shared.NextBytes(value);
                var request = new PutRequest { Key = keyNames[i], Value = ByteString.CopyFrom(value) };
                await connections[caller].Kv.PutAsync(request, deadline: WorkloadContext.RequestDeadline(), cancellationToken: ct);
            }, cancellationToken);
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }

        await Task.Delay(IdleAfterWrites, cancellationToken);
        var loaded = server.ReadMemory();
        Figure[] figures =
        [
            Figure.Memory(Name, "idle RSS MiB", idle.Rss),
            Figure.Memory(Name, LoadedMetric, loaded.Rss),
        ];
        Diagnostic[] diagnostics =
        [
            new(Name, "idle RSS split", idle.DescribeSplit()),
            new(Name, "loaded RSS split", loaded.DescribeSplit()),
            new(Name, "fill puts/s (16 clients, 1 KiB)", fill.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture)),
            new(Name, "fill errors", ThroughputOutcome.ErrorText(fill)),
            new(Name, "data dir MiB after fill", (DirectorySize(server.DataDirectory) / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture)),
        ];
        return new WorkloadOutcome(Name, server.Name, figures, diagnostics);
    }

    private static long DirectorySize(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}

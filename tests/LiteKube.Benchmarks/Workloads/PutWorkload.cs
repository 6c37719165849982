using Etcdserverpb;
using LiteKube.Benchmarks.Clients;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Put throughput and latency: <c>clients</c> connections each putting 256-byte values as fast as
/// acknowledgements come back. Keys are small (~16 bytes) and drawn from a fixed key space, so
/// both servers also keep a growing history of revisions, as under Kubernetes.
/// </summary>
public sealed class PutWorkload(int clients, ClientPlacement placement = ClientPlacement.Spread) : IWorkload
{
    private const int KeySpace = 10_000;
    private const int ValueSize = 256;
    private const int DistinctValues = 1024;

    public bool NeedsWarmServer => true;

    public string Name => (clients == 1 ? "put, 1 client" : $"put, {clients} clients") + placement.Suffix();

    public async Task<WorkloadOutcome> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var keys = EtcdKeys.Numbered("bench-put/", KeySpace);
        var values = EtcdKeys.RandomValues(DistinctValues, ValueSize, seed: 1);
        var connections = EtcdConnection.OpenMany(await placement.EndpointsAsync(context.Server, cancellationToken), clients);
        try
        {
            var meter = CpuMeter.Start(context.Server);
            var result = await ClosedLoopLoad.RunForAsync(
                clients, context.Options.Warmup, context.Options.Duration,
                async (caller, iteration, ct) =>
                {
                    // Spread callers over the key space so concurrent puts rarely hit the same key.
                    var n = (int)((caller * 7_919L + iteration) % KeySpace);
                    var request = new PutRequest { Key = keys[n], Value = values[n % DistinctValues] };
                    await connections[caller].Kv.PutAsync(request, deadline: WorkloadContext.RequestDeadline(), cancellationToken: ct);
                },
                cancellationToken);
            return ThroughputOutcome.Create(Name, context.Server.Name, result, meter.Stop());
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }
}

using Etcdserverpb;
using Google.Protobuf;
using LiteKube.Benchmarks.Clients;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Linearizable reads: <c>clients</c> connections each getting one existing key (256-byte value)
/// with serializable=false, the default of etcdctl and of the Kubernetes API server's quorum reads.
/// Single-node etcd still confirms leadership (ReadIndex) for each of these.
/// </summary>
public sealed class RangeWorkload(int clients, ClientPlacement placement = ClientPlacement.Spread) : IWorkload
{
    private static readonly ByteString Key = ByteString.CopyFromUtf8("bench-range/key");

    public bool NeedsWarmServer => true;

    public string Name => (clients == 1 ? "range (linearizable), 1 client" : $"range (linearizable), {clients} clients") + placement.Suffix();

    public async Task<WorkloadOutcome> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var connections = EtcdConnection.OpenMany(await placement.EndpointsAsync(context.Server, cancellationToken), clients);
        try
        {
            var value = EtcdKeys.RandomValues(1, 256, seed: 2)[0];
            await connections[0].Kv.PutAsync(
                new PutRequest { Key = Key, Value = value }, deadline: WorkloadContext.RequestDeadline(), cancellationToken: cancellationToken);
            var request = new RangeRequest { Key = Key, Serializable = false };
            var meter = CpuMeter.Start(context.Server);
            var result = await ClosedLoopLoad.RunForAsync(
                clients, context.Options.Warmup, context.Options.Duration,
                async (caller, _, ct) =>
                {
                    var response = await connections[caller].Kv.RangeAsync(request, deadline: WorkloadContext.RequestDeadline(), cancellationToken: ct);
                    if (response.Kvs.Count != 1 || response.Kvs[0].Value != value)
                    {
                        // A fast wrong answer must not count as throughput.
                        throw new InvalidOperationException($"{context.Server.Name} returned {response.Kvs.Count} keys or a different value for {Key.ToStringUtf8()}");
                    }
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

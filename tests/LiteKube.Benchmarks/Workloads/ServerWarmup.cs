using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using LiteKube.Benchmarks.Clients;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Brings a freshly started server to steady state before a workload measures it: a mix of puts,
/// linearizable ranges and one watch from 16 clients. Without it a JIT-compiled server (litekube)
/// is measured while it is still loading and compiling its request path, which at one client takes
/// longer than any short per-run warm-up; etcd gets the same treatment. What the server managed
/// during this phase is reported as a diagnostic, so the cold-start cost stays visible.
/// </summary>
public static class ServerWarmup
{
    private const int Clients = 16;
    private const int KeySpace = 1_000;

    public static async Task<IReadOnlyList<Diagnostic>> RunAsync(WorkloadContext context, string workload, CancellationToken cancellationToken)
    {
        var duration = context.Options.ServerWarmup;
        if (duration <= TimeSpan.Zero)
        {
            return [];
        }

        var prefix = ByteString.CopyFromUtf8("bench-warmup/");
        var keys = EtcdKeys.Numbered("bench-warmup/", KeySpace);
        var values = EtcdKeys.RandomValues(64, 256, seed: 4);
        var connections = EtcdConnection.OpenMany(context.Server.Endpoints, Clients);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = connections[0].Watch.Watch(cancellationToken: stop.Token);
        try
        {
            await watch.RequestStream.WriteAsync(new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = prefix, RangeEnd = EtcdKeys.PrefixEnd(prefix) },
            }, stop.Token);
            var drain = DrainAsync(watch.ResponseStream, stop.Token);
            var result = await ClosedLoopLoad.RunForAsync(Clients, TimeSpan.Zero, duration, async (caller, i, ct) =>
            {
                var key = keys[(int)((caller * 7_919L + i) % KeySpace)];
                if (i % 2 == 0)
                {
                    var put = new PutRequest { Key = key, Value = values[(int)(i % values.Length)] };
                    await connections[caller].Kv.PutAsync(put, deadline: WorkloadContext.RequestDeadline(), cancellationToken: ct);
                }
                else
                {
                    await connections[caller].Kv.RangeAsync(new RangeRequest { Key = key }, deadline: WorkloadContext.RequestDeadline(), cancellationToken: ct);
                }
            }, cancellationToken);
            stop.Cancel();
            await drain;
            return
            [
                new Diagnostic(workload, $"server warm-up ops/s (first {duration.TotalSeconds:0} s after start)",
                    result.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture)),
            ];
        }
        finally
        {
            stop.Cancel();
            watch.Dispose();
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    private static async Task DrainAsync(Grpc.Core.IAsyncStreamReader<WatchResponse> responses, CancellationToken cancellationToken)
    {
        try
        {
            while (await responses.MoveNext(cancellationToken))
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or Grpc.Core.RpcException)
        {
            // Stopped with the warm-up; the events themselves are not measured.
        }
    }
}

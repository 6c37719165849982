using Etcdserverpb;
using Grpc.Net.Client;

namespace LiteKube.Benchmarks.Clients;

/// <summary>
/// One independent client: its own gRPC channel, hence its own HTTP/2 connection, with the etcd
/// v3 KV and Watch stubs on it. Nothing retries or balances, so every latency is the server's.
/// </summary>
public sealed class EtcdConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    private EtcdConnection(GrpcChannel channel)
    {
        _channel = channel;
        Kv = new KV.KVClient(channel);
        Watch = new Watch.WatchClient(channel);
        Maintenance = new Maintenance.MaintenanceClient(channel);
    }

    public KV.KVClient Kv { get; }
    public Watch.WatchClient Watch { get; }
    public Maintenance.MaintenanceClient Maintenance { get; }

    /// <param name="endpoint">http://127.0.0.N:PORT; loopback only, checked by the caller's options.</param>
    public static EtcdConnection Open(string endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            // Loopback only: an HTTP(S)_PROXY in the environment must not reroute us.
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            // One connection per client, even when a client (the watch putter) multiplexes calls.
            EnableMultipleHttp2Connections = false,
        };
        var channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        return new EtcdConnection(channel);
    }

    /// <summary>Opens <paramref name="count"/> independent connections.</summary>
    public static EtcdConnection[] OpenMany(string endpoint, int count) => OpenMany([endpoint], count);

    /// <summary>Opens <paramref name="count"/> independent connections, spread round-robin over
    /// <paramref name="endpoints"/> (the members of a cluster), as etcd's own benchmark tool does.</summary>
    public static EtcdConnection[] OpenMany(IReadOnlyList<string> endpoints, int count) =>
        Enumerable.Range(0, count).Select(i => Open(endpoints[i % endpoints.Count])).ToArray();

    public void Dispose() => _channel.Dispose();
}

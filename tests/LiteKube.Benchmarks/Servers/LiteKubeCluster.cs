using System.Net;

namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// N published `litekube server` processes forming one replicated datastore by static bootstrap
/// (<c>--initial-cluster</c>): member i binds <c>addresses[i]</c> (etcd API :2379, cluster port
/// :25000, Kubernetes API :6443), each with its own data dir, default Raft timing.
/// </summary>
public sealed class LiteKubeCluster(LiteKubeServer single, string binary, IReadOnlyList<IPAddress> addresses, string extractDirectory) : IServerLauncher
{
    private const int EtcdPort = 2379;
    private const int ClusterPort = 25000;

    public string Name => "litekube";

    public Task<string> DescribeVersionAsync(CancellationToken cancellationToken) => single.DescribeVersionAsync(cancellationToken);

    public async Task<IBenchmarkServer> StartAsync(string workDirectory, CancellationToken cancellationToken)
    {
        LoopbackPort.EnsureFree(addresses, [EtcdPort, ClusterPort], "--litekube-cluster");

        var initialCluster = string.Join(',', addresses.Select((a, i) => $"m{i}={a}:{ClusterPort}"));
        return await ClusterServer.StartAsync(Name, addresses.Count, (i, _, ct) =>
        {
            var memberDirectory = Path.Combine(workDirectory, $"m{i}");
            var dataDirectory = Path.Combine(memberDirectory, "data");
            // A restart passes the same flags: the data dir already records the cluster.
            string[] arguments =
            [
                "server",
                "--data-dir", dataDirectory,
                "--bind-address", addresses[i].ToString(),
                "--node-name", $"m{i}",
                "--initial-cluster", initialCluster,
            ];
            return ServerProcess.StartAsync(
                $"{Name}-m{i}", binary, arguments, LiteKubeServer.Environment(extractDirectory), $"http://{addresses[i]}:{EtcdPort}",
                memberDirectory, dataDirectory, LiteKubeServer.ReadyMarker, ct);
        }, cancellationToken);
    }
}

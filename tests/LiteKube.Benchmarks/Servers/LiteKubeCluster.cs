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
        return await ClusterServer.StartAsync(Name, addresses.Count, async (i, _, ct) =>
        {
            var memberDirectory = Path.Combine(workDirectory, $"m{i}");
            var dataDirectory = Path.Combine(memberDirectory, "data");
            if (i > 0)
            {
                await ShareAuthorityAsync(Path.Combine(workDirectory, "m0", "data"), dataDirectory, ct);
            }
            // A restart passes the same flags: the data dir already records the cluster.
            string[] arguments =
            [
                "server",
                "--data-dir", dataDirectory,
                "--bind-address", addresses[i].ToString(),
                "--node-name", $"m{i}",
                "--initial-cluster", initialCluster,
            ];
            return await ServerProcess.StartAsync(
                $"{Name}-m{i}", binary, arguments, LiteKubeServer.Environment(extractDirectory), $"http://{addresses[i]}:{EtcdPort}",
                memberDirectory, dataDirectory, LiteKubeServer.ReadyMarker, ct);
        }, cancellationToken);
    }

    /// <summary>Founders share one cluster CA (README, static bootstrap): the first creates it as
    /// it starts, the others get a copy before their first start.</summary>
    private static async Task ShareAuthorityAsync(string firstDataDirectory, string dataDirectory, CancellationToken cancellationToken)
    {
        string[] files = ["ca.crt", "ca.key", "service-account.key"];
        var tls = Path.Combine(dataDirectory, "tls");
        if (File.Exists(Path.Combine(tls, "ca.crt")))
        {
            return; // a restart: it has them
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!files.All(f => File.Exists(Path.Combine(firstDataDirectory, "tls", f))))
        {
            await Task.Delay(50, timeout.Token);
        }
        // Each file appears whole (written to a temporary name, then renamed).
        Directory.CreateDirectory(tls);
        foreach (var file in files)
        {
            File.Copy(Path.Combine(firstDataDirectory, "tls", file), Path.Combine(tls, file));
        }
    }
}

using System.Net;

namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// The reference cluster: N members of Debian's etcd, member i on <c>addresses[i]</c> (clients on
/// :2379, peers on :2380), default tuning (heartbeat 100 ms, election 1,000 ms — the same as
/// litekube's defaults), plain HTTP on loopback.
/// </summary>
public sealed class EtcdCluster(EtcdServer single, string binary, IReadOnlyList<IPAddress> addresses) : IServerLauncher
{
    private const int ClientPort = 2379;
    private const int PeerPort = 2380;

    public string Name => "etcd";

    public Task<string> DescribeVersionAsync(CancellationToken cancellationToken) => single.DescribeVersionAsync(cancellationToken);

    public async Task<IBenchmarkServer> StartAsync(string workDirectory, CancellationToken cancellationToken)
    {
        LoopbackPort.EnsureFree(addresses, [ClientPort, PeerPort], "--etcd-cluster");

        var initialCluster = string.Join(',', addresses.Select((a, i) => $"m{i}=http://{a}:{PeerPort}"));
        return await ClusterServer.StartAsync(Name, addresses.Count, (i, initial, ct) =>
        {
            var memberDirectory = Path.Combine(workDirectory, $"m{i}");
            var dataDirectory = Path.Combine(memberDirectory, "data");
            var clientUrl = $"http://{addresses[i]}:{ClientPort}";
            var peerUrl = $"http://{addresses[i]}:{PeerPort}";
            // On a restart the data dir already records the cluster; etcd ignores --initial-*.
            string[] arguments =
            [
                "--name", $"m{i}",
                "--data-dir", dataDirectory,
                "--listen-client-urls", clientUrl,
                "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", "litekube-bench",
                "--logger", "zap",
                "--log-outputs", "stderr",
            ];
            return ServerProcess.StartAsync(
                $"{Name}-m{i}", binary, arguments, EtcdServer.WithoutEtcdVariables(), clientUrl, memberDirectory, dataDirectory,
                "serving client traffic", ct);
        }, cancellationToken);
    }
}

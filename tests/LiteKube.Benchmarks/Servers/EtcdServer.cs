using System.Net;

namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// Launches the reference: a single-node etcd (Debian's etcd-server, 3.4) with its default
/// tuning (zap logger: it announces readiness with "serving client traffic"), clients on ADDRESS:2379 and the (unused) peer port on ADDRESS:2380.
/// </summary>
public sealed class EtcdServer(string binary, IPAddress address) : IServerLauncher
{
    private const int ClientPort = 2379;
    private const int PeerPort = 2380;

    public string Name => "etcd";

    public async Task<string> DescribeVersionAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ChildCommand.RunAsync(binary, ["--version"], echo: false, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`{binary} --version` failed; install etcd with `apt-get install -y etcd-server`");
        }

        // "etcd Version: 3.4.23\nGit SHA: …\nGo Version: go1.19.8\n…" -> "etcd 3.4.23 (go1.19.8)"
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        var version = lines.FirstOrDefault(l => l.StartsWith("etcd Version:", StringComparison.Ordinal))?["etcd Version:".Length..].Trim();
        var go = lines.FirstOrDefault(l => l.StartsWith("Go Version:", StringComparison.Ordinal))?["Go Version:".Length..].Trim();
        return $"etcd {version ?? "?"} ({go ?? "?"}, {binary})";
    }

    public async Task<IBenchmarkServer> StartAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(workDirectory, "data");
        LoopbackPort.EnsureFree(address, ClientPort, "--etcd-address");
        LoopbackPort.EnsureFree(address, PeerPort, "--etcd-address");
        var clientUrl = $"http://{address}:{ClientPort}";
        var peerUrl = $"http://{address}:{PeerPort}";
        string[] arguments =
        [
            "--name", "bench",
            "--data-dir", dataDirectory,
            "--listen-client-urls", clientUrl,
            "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"bench={peerUrl}",
            "--logger", "zap",
            "--log-outputs", "stderr",
        ];
        return await ServerProcess.StartAsync(
            Name, binary, arguments, WithoutEtcdVariables(), clientUrl, workDirectory, dataDirectory,
            "serving client traffic", cancellationToken);
    }

    // etcd reads ETCD_* variables as flags; a stray one would change what we measure or refuse to start.
    internal static Dictionary<string, string?> WithoutEtcdVariables() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("ETCD_", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null);
}

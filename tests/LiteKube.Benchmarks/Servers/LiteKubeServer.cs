using System.Net;

namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// Launches `litekube server` with its etcd v3 API on ADDRESS:2379 (plain HTTP/2 on loopback),
/// exactly as shipped: the published single-file binary with its own runtime and GC settings.
/// </summary>
/// <param name="extractDirectory">
/// Where the single-file bundle unpacks its native libraries (RocksDB); shared by every start in a
/// run so it is unpacked once, and inside the run's temp dir so nothing is left in $HOME.
/// </param>
public sealed class LiteKubeServer(string binary, IPAddress address, string extractDirectory) : IServerLauncher
{
    private const int EtcdPort = 2379;

    public string Name => "litekube";

    public async Task<string> DescribeVersionAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ChildCommand.RunAsync(binary, ["--version"], echo: false, cancellationToken);
        // Prints e.g. "litekube version v0.1.0 (commit 2ab185e7184b)".
        var version = output.Trim();
        return exitCode == 0 && version.Length > 0 ? version : "litekube (`--version` failed)";
    }

    public async Task<IBenchmarkServer> StartAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(workDirectory, "data");
        LoopbackPort.EnsureFree(address, EtcdPort, "--litekube-address");
        string[] arguments =
        [
            "server",
            "--data-dir", dataDirectory,
            "--bind-address", address.ToString(),
        ];
        return await ServerProcess.StartAsync(
            Name, binary, arguments, Environment(extractDirectory), $"http://{address}:{EtcdPort}", workDirectory, dataDirectory,
            ReadyMarker, cancellationToken);
    }

    /// <summary>What `litekube server` logs once it serves.</summary>
    internal const string ReadyMarker = "litekube server ready";

    /// <summary>Flags only: no stray LITEKUBE_* settings from the caller; native libraries unpacked once per run.</summary>
    internal static Dictionary<string, string?> Environment(string extractDirectory)
    {
        var environment = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("LITEKUBE_", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => (string?)null);
        environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = extractDirectory;
        return environment;
    }
}

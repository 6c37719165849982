using System.Diagnostics;
using LiteKube.EndToEnd.Tests.Cli;
using LiteKube.EndToEnd.Tests.Infrastructure;
using LiteKube.EndToEnd.Tests.Kubectl;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Datastore;

/// <summary>
/// <c>litekube server --datastore-endpoint</c> against Debian's real etcd (issue #4, external
/// etcd): objects created with kubectl land in that etcd under /registry, and the embedded
/// datastore's etcd API is not served. TLS and failover are covered against real etcd clusters
/// in LiteKube.Datastore.Tests/External; here the etcd is plaintext, on its own loopback address.
/// </summary>
public sealed class ExternalEtcdTests
{
    private const int Kubectl = 33;

    [Fact]
    public async Task Kubectl_writes_through_the_server_into_the_external_etcd_and_the_flag_wins_over_the_environment()
    {
        await using var etcd = await PlainEtcd.StartAsync();
        await using var node = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions
        {
            ExtraArguments = ["--datastore-endpoint", etcd.Endpoint],
            Environment = new Dictionary<string, string> { ["LITEKUBE_DATASTORE_ENDPOINT"] = "http://127.0.0.1:1" },
        });

        var create = await KubectlServerFixture.RunAsync(KubectlClients.Path(Kubectl),
            ["--kubeconfig", node.KubeconfigPath, "create", "configmap", "external-e2e", "-n", "default", "--from-literal=where=etcd"], null, null);
        var get = await KubectlServerFixture.RunAsync(KubectlClients.Path(Kubectl),
            ["--kubeconfig", node.KubeconfigPath, "get", "configmap", "external-e2e", "-n", "default", "-o", "jsonpath={.data.where}"], null, null);
        var stored = await EtcdctlProgram.RunAsync(etcd.Endpoint, null, ["get", "/registry/configmaps/default/external-e2e", "--print-value-only"]);

        Assert.Equal("etcd", KubectlServerFixture.Succeeded(get));
        KubectlServerFixture.Succeeded(create);
        Assert.True(stored.ExitCode == 0, stored.ToString());
        Assert.Contains("\"where\":\"etcd\"", stored.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"etcd API on external etcd {etcd.Endpoint},", node.StandardOutput, StringComparison.Ordinal);
        Assert.True(LoopbackAddresses.IsFree(node.Address, LiteKubeProcess.EtcdPort), "the embedded etcd API must not listen with an external datastore");
        Assert.False(File.Exists(Path.Combine(node.DataDirectory, "db", "CURRENT")), "no embedded datastore is opened");
    }

    [Theory]
    [InlineData("--datastore-endpoint", "etcd://127.0.0.1:2379", "has scheme etcd://")]
    [InlineData("--datastore-endpoint", "not a url", "is not a URL")]
    [InlineData("--datastore-cafile", "/nonexistent/ca.crt", "only applies with --datastore-endpoint")]
    public async Task Bad_datastore_settings_stop_the_start_with_one_line(string flag, string value, string reason)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N"));
        try
        {
            var output = await LiteKubeCommand.RunAsync(["server", "--data-dir", dataDirectory, "--bind-address",
                LoopbackAddresses.Allocate().ToString(), "--config", "/dev/null", flag, value]);

            CliAssert.OneLineError(output, 1, flag, reason);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_missing_datastore_certificate_file_stops_the_start_with_one_line()
    {
        var output = await LiteKubeCommand.RunAsync(["server", "--data-dir", Path.Combine(Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N")),
            "--bind-address", LoopbackAddresses.Allocate().ToString(), "--config", "/dev/null",
            "--datastore-endpoint", "https://127.0.0.1:2379", "--datastore-cafile", "/nonexistent/etcd-ca.crt"]);

        CliAssert.OneLineError(output, 1, "--datastore-cafile", "/nonexistent/etcd-ca.crt does not exist");
    }

    /// <summary>One plaintext etcd member on a loopback address of its own.</summary>
    private sealed class PlainEtcd : IAsyncDisposable
    {
        private readonly Process process;
        private readonly string directory;

        private PlainEtcd(Process process, string directory, string endpoint)
        {
            this.process = process;
            this.directory = directory;
            Endpoint = endpoint;
        }

        public string Endpoint { get; }

        public static async Task<PlainEtcd> StartAsync()
        {
            var address = LoopbackAddresses.Allocate();
            var directory = Path.Combine(Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            var client = $"http://{address}:2379";
            var peer = $"http://{address}:2380";
            var start = new ProcessStartInfo("/usr/bin/etcd") { UseShellExecute = false };
            foreach (var argument in new[]
            {
                "--name", "e2e", "--data-dir", Path.Combine(directory, "data"),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"e2e={peer}",
                "--logger", "zap", "--log-outputs", Path.Combine(directory, "etcd.log"),
            })
            {
                start.ArgumentList.Add(argument);
            }
            var etcd = new PlainEtcd(Process.Start(start)!, directory, client);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var health = await EtcdctlProgram.RunAsync(client, null, ["endpoint", "health"], TimeSpan.FromSeconds(5));
                if (health.ExitCode == 0)
                {
                    return etcd;
                }
                if (DateTime.UtcNow > deadline || etcd.process.HasExited)
                {
                    await etcd.DisposeAsync();
                    throw new InvalidOperationException($"etcd on {client} did not become healthy: {health}");
                }
                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            process.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }
}

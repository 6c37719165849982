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

    [Fact]
    public async Task Servers_started_with_the_same_endpoint_and_token_share_the_cluster_keys_and_a_wrong_token_is_refused()
    {
        const string token = "e2e-cluster-secret-0123456789";
        await using var etcd = await PlainEtcd.StartAsync();
        await using var first = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions
        {
            ExtraArguments = ["--node-name", "ext-1", "--datastore-endpoint", etcd.Endpoint, "--token", token],
        });
        await using var second = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions
        {
            ExtraArguments = ["--node-name", "ext-2", "--datastore-endpoint", etcd.Endpoint],
            Environment = new Dictionary<string, string> { ["LITEKUBE_TOKEN"] = token },
        });

        foreach (var file in new[] { "ca.crt", "ca.key", "service-account.key" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(first.DataDirectory, "tls", file)), File.ReadAllText(Path.Combine(second.DataDirectory, "tls", file)));
        }
        Assert.Contains("stored the cluster keys in the external datastore", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("took the cluster keys from the external datastore", second.StandardOutput, StringComparison.Ordinal);
        // The first server's admin kubeconfig works against the second: one cluster.
        var create = await KubectlServerFixture.RunAsync(KubectlClients.Path(Kubectl),
            ["--kubeconfig", first.KubeconfigPath, "--server", second.ApiEndpoint, "create", "configmap", "shared-keys", "-n", "default"], null, null);
        KubectlServerFixture.Succeeded(create);
        // Sealed: the datastore alone does not give the keys away.
        var stored = await EtcdctlProgram.RunAsync(etcd.Endpoint, null, ["get", "/litekube/cluster/keys", "--print-value-only"]);
        Assert.True(stored.ExitCode == 0 && stored.StandardOutput.Length > 100, stored.ToString());
        Assert.DoesNotContain("PRIVATE KEY", stored.StandardOutput, StringComparison.Ordinal);

        // add-node / join work the same: the joined server gets the keys and the way to the etcd.
        var join = await Cluster.ClusterNodes.AddNodeAsync(first);
        await using var joined = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { ExtraArguments = ["--node-name", "ext-joined", "--join", join] });
        Assert.Contains($"etcd API on external etcd {etcd.Endpoint},", joined.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(first.DataDirectory, "tls", "ca.crt")), File.ReadAllText(Path.Combine(joined.DataDirectory, "tls", "ca.crt")));
        var seen = await KubectlServerFixture.RunAsync(KubectlClients.Path(Kubectl),
            ["--kubeconfig", joined.KubeconfigPath, "get", "configmap", "shared-keys", "-n", "default", "-o", "name"], null, null);
        Assert.Equal("configmap/shared-keys", KubectlServerFixture.Succeeded(seen).Trim());
        var status = await LiteKubeCommand.RunAsync(["status", "--data-dir", joined.DataDirectory, "--format", "json"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"\"datastore\": \"external etcd {etcd.Endpoint}\"", status.StandardOutput, StringComparison.Ordinal);
        // Restarted without any datastore flag, it still uses the external etcd.
        await joined.StopAsync();
        await using var restarted = await joined.RestartAsync(new LiteKubeProcessOptions { ExtraArguments = ["--node-name", "ext-joined"] });
        Assert.Contains($"etcd API on external etcd {etcd.Endpoint},", restarted.StandardOutput, StringComparison.Ordinal);

        var wrong = await LiteKubeCommand.RunAsync(["server", "--data-dir", Path.Combine(Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N")),
            "--bind-address", LoopbackAddresses.Allocate().ToString(), "--config", "/dev/null", "--node-name", "ext-3",
            "--datastore-endpoint", etcd.Endpoint, "--token", "not-the-cluster-secret"]);
        CliAssert.OneLineError(wrong, 1, "--token does not open the cluster keys");
        // A server with keys of its own (another cluster's CA) is refused instead of signing
        // certificates nobody else trusts.
        var otherDataDirectory = Path.Combine(Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N"));
        WriteUnrelatedKeys(Path.Combine(otherDataDirectory, "tls"));
        var own = await LiteKubeCommand.RunAsync(["server", "--data-dir", otherDataDirectory,
            "--bind-address", LoopbackAddresses.Allocate().ToString(), "--config", "/dev/null", "--node-name", "ext-4",
            "--datastore-endpoint", etcd.Endpoint, "--token", token]);
        Directory.Delete(otherDataDirectory, recursive: true);
        CliAssert.OneLineError(own, 1, "ca.crt is not the CA stored in the external datastore");
    }

    /// <summary>A CA and a service-account key of no cluster, as a data dir of another cluster holds them.</summary>
    private static void WriteUnrelatedKeys(string tls)
    {
        Directory.CreateDirectory(tls);
        using var caKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=another-cluster", caKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var serviceAccount = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(tls, "ca.crt"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(tls, "ca.key"), caKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(tls, "service-account.key"), serviceAccount.ExportPkcs8PrivateKeyPem());
    }

    [Theory]
    [InlineData("--datastore-endpoint", "etcd://127.0.0.1:2379", "has scheme etcd://")]
    [InlineData("--datastore-endpoint", "not a url", "is not a URL")]
    [InlineData("--datastore-cafile", "/nonexistent/ca.crt", "only applies with --datastore-endpoint")]
    [InlineData("--token", "a-secret-without-an-endpoint", "only applies with --datastore-endpoint")]
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

    [Theory]
    [InlineData("short")]
    [InlineData("sixteen chars or more but with spaces")]
    public async Task A_weak_cluster_secret_stops_the_start_with_one_line(string token)
    {
        var output = await LiteKubeCommand.RunAsync(["server", "--data-dir", Path.Combine(Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N")),
            "--bind-address", LoopbackAddresses.Allocate().ToString(), "--config", "/dev/null",
            "--datastore-endpoint", "http://127.0.0.1:2379", "--token", token]);

        CliAssert.OneLineError(output, 1, "--token", "at least 16 characters without spaces");
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

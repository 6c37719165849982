using System.Net;
using System.Security.Cryptography.X509Certificates;
using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary><c>litekube server</c> serves the Kubernetes API over HTTPS with keys it creates
/// under <c>&lt;data-dir&gt;/tls</c> and an admin kubeconfig the real kubectl uses.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ApiServingTests
{
    private const string Kubectl = "/usr/bin/kubectl";

    [Fact]
    public async Task First_start_creates_the_cluster_pki_and_an_admin_kubeconfig_that_kubectl_uses()
    {
        await using var node = await LiteKubeProcess.StartAsync();

        Assert.Contains($"etcd API on {node.EtcdEndpoint}, Kubernetes API on {node.ApiEndpoint}, data in", node.StandardOutput, StringComparison.Ordinal);
        var tls = Path.Combine(node.DataDirectory, "tls");
        foreach (var key in new[] { "ca.key", "apiserver.key", "client-admin.key", "service-account.key" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, key)));
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(node.KubeconfigPath));
        Assert.Contains($"server: {node.ApiEndpoint}", await File.ReadAllTextAsync(node.KubeconfigPath), StringComparison.Ordinal);

        using var serving = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(tls, "apiserver.crt")));
        var names = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal([IPAddress.Loopback, node.Address, IPAddress.Parse("10.43.0.1")], names.EnumerateIPAddresses());
        Assert.Superset(new HashSet<string> { "localhost", Dns.GetHostName().ToLowerInvariant(), "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local" },
            names.EnumerateDnsNames().ToHashSet());

        // The kubeconfig verifies the server against the CA: no --insecure-skip-tls-verify here.
        var namespaces = await KubectlAsync(node, "get", "namespaces", "-o", "name");
        Assert.True(namespaces.ExitCode == 0, namespaces.ToString());
        Assert.Equal(["namespace/default", "namespace/kube-node-lease", "namespace/kube-public", "namespace/kube-system"],
            namespaces.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var whoami = await KubectlAsync(node, "auth", "can-i", "*", "*", "--all-namespaces");
        Assert.Equal("yes", whoami.StandardOutput.Trim());
    }

    [Fact]
    public async Task Restart_keeps_the_ca_and_signing_key_and_reissues_the_serving_certificate_for_a_new_address()
    {
        await using var first = await LiteKubeProcess.StartAsync();
        var tls = Path.Combine(first.DataDirectory, "tls");
        var created = await KubectlAsync(first, "label", "namespace", "default", "kept=yes");
        Assert.True(created.ExitCode == 0, created.ToString());
        var oldKubeconfig = await File.ReadAllTextAsync(first.KubeconfigPath);
        var ca = await File.ReadAllTextAsync(Path.Combine(tls, "ca.crt"));
        var signingKey = await File.ReadAllTextAsync(Path.Combine(tls, "service-account.key"));
        var serving = await File.ReadAllTextAsync(Path.Combine(tls, "apiserver.crt"));
        Assert.Equal(0, await first.StopAsync());

        // Same address: everything is reused.
        await using var second = await first.RestartAsync();
        Assert.Equal(serving, await File.ReadAllTextAsync(Path.Combine(tls, "apiserver.crt")));
        Assert.DoesNotContain("issued", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, await second.StopAsync());

        // New address and service range: the serving certificate follows, the CA stays.
        await using var moved = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions
        {
            DataDirectory = first.DataDirectory,
            ExtraArguments = ["--service-cidr", "10.96.0.0/12"],
        });
        Assert.Equal(ca, await File.ReadAllTextAsync(Path.Combine(tls, "ca.crt")));
        Assert.Equal(signingKey, await File.ReadAllTextAsync(Path.Combine(tls, "service-account.key")));
        Assert.Contains($"apiserver.crt: it does not name {moved.Address}, 10.96.0.1", moved.StandardOutput, StringComparison.Ordinal);
        using var reissued = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(tls, "apiserver.crt")));
        Assert.Contains(moved.Address, reissued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());

        var kept = await KubectlAsync(moved, "get", "namespaces", "-l", "kept=yes", "-o", "name");
        Assert.Equal("namespace/default", kept.StandardOutput.Trim());
        // A kubeconfig copied before the move still authenticates (same CA), pointed at the new address.
        var copied = Path.Combine(Path.GetTempPath(), "litekube-e2e", $"kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(copied, oldKubeconfig.Replace(first.ApiEndpoint, moved.ApiEndpoint, StringComparison.Ordinal));
        try
        {
            var withCopy = await KubectlWithAsync(copied, "get", "namespaces", "-l", "kept=yes", "-o", "name");
            Assert.Equal("namespace/default", withCopy.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(copied);
        }
    }

    [Fact]
    public async Task The_etcd_port_does_not_serve_the_kubernetes_api_and_the_api_port_does_not_serve_etcd()
    {
        await using var node = await LiteKubeProcess.StartAsync();

        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var onEtcd = await h2c.GetAsync($"{node.EtcdEndpoint}/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.NotFound, onEtcd.StatusCode);
        Assert.DoesNotContain("namespace", await onEtcd.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var etcdOverApi = await EtcdctlProgram.RunAsync(node.ApiEndpoint, null, ["--insecure-transport=false", "--insecure-skip-tls-verify", "--command-timeout=5s", "get", "/registry", "--prefix", "--keys-only"]);
        Assert.NotEqual(0, etcdOverApi.ExitCode);
        Assert.DoesNotContain("/registry/namespaces", etcdOverApi.StandardOutput, StringComparison.Ordinal);

        using var anonymous = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        using var unauthenticated = await anonymous.GetAsync($"{node.ApiEndpoint}/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task Token_auth_file_users_authenticate_with_their_token()
    {
        using var temporary = new TemporaryDirectory();
        var tokens = temporary.Combine("tokens.csv");
        await File.WriteAllTextAsync(tokens, "s3cret-token,alice,uid-alice,\"dev,qa\"\n");
        await using var node = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { ExtraArguments = ["--token-auth-file", tokens] });

        // No kubeconfig user: only the token identifies the caller.
        string[] asTokenUser = ["--server", node.ApiEndpoint, "--certificate-authority", Path.Combine(node.DataDirectory, "tls", "ca.crt")];
        var whoami = await KubectlWithAsync("/dev/null", [.. asTokenUser, "--token", "s3cret-token", "auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"]);
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Equal("alice [\"dev\",\"qa\",\"system:authenticated\"]", whoami.StandardOutput.Trim());
        var wrong = await KubectlWithAsync("/dev/null", [.. asTokenUser, "--token", "wrong-token", "get", "pods"]);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("You must be logged in to the server", wrong.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_port_in_use_is_refused_naming_the_port_flag()
    {
        var address = LoopbackAddresses.Allocate();
        var squatter = new System.Net.Sockets.TcpListener(address, LiteKubeProcess.ApiPort);
        squatter.Start();
        try
        {
            using var temporary = new TemporaryDirectory();
            var output = await LiteKubeCommand.RunAsync(["server", "--data-dir", temporary.Combine("data"), "--bind-address", address.ToString(), "--config", "/dev/null"]);

            CliAssert.OneLineError(output, 1, "Kubernetes API", $"{address}:{LiteKubeProcess.ApiPort}", "already in use", "--api-port");
        }
        finally
        {
            squatter.Stop();
        }
    }

    internal static Task<ProcessOutput> KubectlAsync(LiteKubeProcess node, params string[] arguments) =>
        KubectlWithAsync(node.KubeconfigPath, arguments);

    private static async Task<ProcessOutput> KubectlWithAsync(string kubeconfig, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var cache = Path.Combine(Path.GetTempPath(), "litekube-e2e", "kubectl-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(
                CliWrap.Cli.Wrap(Kubectl).WithArguments(["--kubeconfig", kubeconfig, "--cache-dir", cache, .. arguments])
                    .WithValidation(CliWrap.CommandResultValidation.None), timeout.Token);
            return new ProcessOutput(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        finally
        {
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using CliWrap;
using CliWrap.Buffered;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Controllers;
using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security;
using LiteKube.ApiServer.Security.ServiceAccounts;
using LiteKube.Cluster.Kubeconfig;
using LiteKube.Cluster.Pki;
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiteKube.ApiServer.Tests.Infrastructure;

/// <summary>
/// A real API server in the test process: HTTPS on its own loopback address (127.0.1.N:6443),
/// an in-memory datastore, a fresh CA, and an admin kubeconfig for the real kubectl.
/// </summary>
public sealed class InProcessApiServer : IAsyncDisposable
{
    // A random block of 127.x.y.z per test process, so that parallel test runs (other
    // worktrees, other assemblies) rarely meet; a bind failure moves on to the next address.
    private static int s_nextHost = Random.Shared.Next(1, 200) * 65536 + Random.Shared.Next(0, 250) * 256 + 10;

    private readonly WebApplication _app;
    private readonly string _dir;
    private readonly CertificateAuthority _ca;

    private InProcessApiServer(WebApplication app, string dir, string address, CertificateAuthority ca)
    {
        _app = app;
        _dir = dir;
        Address = address;
        _ca = ca;
    }

    /// <summary>The server's services, for tests that reach behind the HTTP API.</summary>
    public IServiceProvider Services => _app.Services;

    public string Address { get; }

    public string KubeconfigPath => Path.Combine(_dir, "kubeconfig");

    /// <summary>An HttpClient that presents the admin certificate and trusts only the cluster CA.</summary>
    public HttpClient CreateAdminClient()
    {
        var admin = _ca.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow);
        var handler = new HttpClientHandler();
        handler.ClientCertificates.Add(admin.ToX509());
        handler.ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(_ca.Certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return cert is not null && chain.Build(cert);
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{Address}:6443") };
    }

    /// <param name="tokenAuthFile">Contents of a --token-auth-file (upstream's CSV), or null for none.</param>
    /// <param name="store">A datastore shared with other servers (the caller owns it), or null for a fresh in-memory one.</param>
    /// <param name="time">The server's clock, or null for the system clock.</param>
    public static async Task<InProcessApiServer> StartAsync(string? tokenAuthFile = null, IKeyValueStore? store = null, TimeProvider? time = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var host = Interlocked.Increment(ref s_nextHost);
            var address = $"127.{host >> 16 & 0xFF}.{host >> 8 & 0xFF}.{Math.Max(1, host & 0xFF)}";
            try
            {
                return await StartAtAsync(address, tokenAuthFile, store, time);
            }
            catch (IOException) when (attempt < 20)
            {
                // Address in use by another test run: take the next one.
            }
        }
    }

    private static async Task<InProcessApiServer> StartAtAsync(string address, string? tokenAuthFile, IKeyValueStore? store, TimeProvider? time)
    {
        var dir = Directory.CreateTempSubdirectory("lk-api-").FullName;
        var now = DateTimeOffset.UtcNow;
        var ca = CertificateAuthority.Create("litekube-ca", now);
        var serving = ca.IssueServer("kube-apiserver", ["localhost", "kubernetes"], [IPAddress.Parse(address), IPAddress.Loopback], now).ToX509();
        var admin = ca.IssueClient("admin", ["system:masters"], now);
        await File.WriteAllTextAsync(Path.Combine(dir, "kubeconfig"),
            KubeconfigDocument.Render($"https://{address}:6443", ca.CertificatePem, admin.CertificatePem, admin.KeyPem));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(address), 6443, listen =>
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serving,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                // The authenticator decides; an unknown certificate gets 401, not a TLS failure.
                ClientCertificateValidation = (_, _, _) => true,
            })));
        builder.Services.AddSingleton(store ?? LocalStore.CreateInMemory());
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton(ca);
        builder.Services.AddSingleton(new RootCaPublisherOptions(ca.CertificatePem));
        string? tokenFilePath = null;
        if (tokenAuthFile is not null)
        {
            tokenFilePath = Path.Combine(dir, "tokens.csv");
            await File.WriteAllTextAsync(tokenFilePath, tokenAuthFile);
        }

        builder.Services.AddSingleton(new ApiServerSecurityOptions { ServiceAccountKey = ServiceAccountSigningKey.Create(), TokenAuthFile = tokenFilePath });
        builder.Services.AddKubernetesApi();
        builder.Services.AddKubernetesServiceEndpoints(IPAddress.Parse(address), 6443);
        var app = builder.Build();
        app.MapKubernetesApi();
        await SystemNamespaces.EnsureAsync(app.Services.GetRequiredService<ObjectStore>(), app.Services.GetRequiredService<ResourceCatalog>(), CancellationToken.None);
        await app.Services.GetRequiredService<NamespaceDefaultsExecutor>().EnsureAsync(SystemNamespaces.Names, CancellationToken.None);
        await KubernetesService.EnsureAsync(app.Services.GetRequiredService<ObjectStore>(), app.Services.GetRequiredService<ResourceCatalog>(),
            app.Services.GetRequiredService<ServiceNetworkOptions>(), 6443, CancellationToken.None);
        await SecurityServiceCollectionExtensions.InitializeKubernetesApiSecurityAsync(app.Services, CancellationToken.None);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(dir, recursive: true);
            throw;
        }

        return new InProcessApiServer(app, dir, address, ca);
    }

    /// <summary>A real kubectl client command with the admin kubeconfig and its own discovery cache.</summary>
    public CliWrap.Command KubectlCommand(string kubectl, params string[] args) =>
        Cli.Wrap(kubectl)
            .WithArguments(["--kubeconfig", KubeconfigPath, "--cache-dir", Path.Combine(_dir, "cache-" + Path.GetFileName(kubectl)), .. args])
            .WithValidation(CommandResultValidation.None);

    /// <summary>Runs a real kubectl client with the admin kubeconfig and a fresh discovery cache.</summary>
    public async Task<BufferedCommandResult> KubectlAsync(string kubectl, string? stdin, params string[] args)
    {
        var command = KubectlCommand(kubectl, args);
        if (stdin is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await command.ExecuteBufferedAsync(timeout.Token);
    }

    /// <summary>Writes a kubeconfig whose user is a client certificate of the cluster CA
    /// (or, with <paramref name="authority"/>, of another CA); returns its path.</summary>
    public async Task<string> WriteCertificateKubeconfigAsync(string name, string user, IEnumerable<string> groups, CertificateAuthority? authority = null)
    {
        var issued = (authority ?? _ca).IssueClient(user, groups, DateTimeOffset.UtcNow);
        var path = Path.Combine(_dir, $"kubeconfig-{name}");
        await File.WriteAllTextAsync(path, KubeconfigDocument.Render($"https://{Address}:6443", _ca.CertificatePem, issued.CertificatePem, issued.KeyPem, userName: name));
        return path;
    }

    /// <summary>Writes a kubeconfig whose user is a bearer token, or with a null token a user
    /// without credentials. (That user has a username: without one kubectl prompts for it on
    /// stdin; with one it sends basic auth, which the server ignores as upstream does.)</summary>
    public async Task<string> WriteTokenKubeconfigAsync(string name, string? token)
    {
        var ca = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(_ca.CertificatePem));
        var credentials = token is null ? $"\n    username: {name}" : $"\n    token: {token}";
        var path = Path.Combine(_dir, $"kubeconfig-{name}");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: litekube
              cluster:
                server: https://{Address}:6443
                certificate-authority-data: {ca}
            users:
            - name: {name}
              user: {credentials}
            contexts:
            - name: litekube
              context:
                cluster: litekube
                user: {name}
            current-context: litekube

            """);
        return path;
    }

    /// <summary>An HTTP client that trusts the cluster CA and presents a client certificate for
    /// <paramref name="user"/> (admin in system:masters by default; issued on node
    /// <paramref name="owner"/> when given), or, with
    /// <paramref name="bearerToken"/> or <paramref name="anonymous"/>, no certificate.</summary>
    public HttpClient CreateHttpClient(string user = "admin", IEnumerable<string>? groups = null, string? bearerToken = null, bool anonymous = false, string? owner = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && _ca.Signed(certificate, DateTimeOffset.UtcNow),
        };
        if (bearerToken is null && !anonymous)
        {
            var issued = _ca.IssueClient(user, groups ?? (user == "admin" ? ["system:masters"] : []), DateTimeOffset.UtcNow, owner);
            // Export and re-import: SslStream needs a certificate whose key it can use on every platform.
            handler.ClientCertificates.Add(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(issued.ToX509().Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null));
        }

        var client = new HttpClient(handler) { BaseAddress = new Uri($"https://{Address}:6443") };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    /// <summary>Runs a real kubectl client with the given kubeconfig and a fresh discovery cache.</summary>
    public async Task<BufferedCommandResult> KubectlWithAsync(string kubeconfig, string kubectl, string? stdin, params string[] args)
    {
        var command = Cli.Wrap(kubectl)
            .WithArguments(["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(_dir, "cache-" + Path.GetFileName(kubeconfig) + "-" + Path.GetFileName(kubectl)), .. args])
            .WithValidation(CommandResultValidation.None);
        if (stdin is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await command.ExecuteBufferedAsync(timeout.Token);
    }

    /// <summary>Waits until the ServiceAccount controller made <paramref name="name"/> in
    /// <paramref name="ns"/>: a test that creates a pod in a namespace it just created calls this
    /// first, as the pod's admission needs the ServiceAccount (upstream's clients retry too).</summary>
    public async Task WaitForServiceAccountAsync(string ns, string name = "default")
    {
        var objects = Services.GetRequiredService<ObjectStore>();
        var serviceAccounts = Services.GetRequiredService<ResourceCatalog>().Find("", "v1", "serviceaccounts")!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await objects.GetStoredAsync(serviceAccounts, ns, name, timeout.Token) is null)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

using System.Net;
using CliWrap;
using CliWrap.Buffered;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;
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

    private InProcessApiServer(WebApplication app, string dir, string address)
    {
        _app = app;
        _dir = dir;
        Address = address;
    }

    public string Address { get; }

    public string KubeconfigPath => Path.Combine(_dir, "kubeconfig");

    public static async Task<InProcessApiServer> StartAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var host = Interlocked.Increment(ref s_nextHost);
            var address = $"127.{host >> 16 & 0xFF}.{host >> 8 & 0xFF}.{Math.Max(1, host & 0xFF)}";
            try
            {
                return await StartAtAsync(address);
            }
            catch (IOException) when (attempt < 20)
            {
                // Address in use by another test run: take the next one.
            }
        }
    }

    private static async Task<InProcessApiServer> StartAtAsync(string address)
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
        builder.Services.AddSingleton<IKeyValueStore>(LocalStore.CreateInMemory());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(ca);
        builder.Services.AddKubernetesApi();
        var app = builder.Build();
        app.MapKubernetesApi();
        await SystemNamespaces.EnsureAsync(app.Services.GetRequiredService<ObjectStore>(), app.Services.GetRequiredService<ResourceCatalog>(), CancellationToken.None);
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

        return new InProcessApiServer(app, dir, address);
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

using System.Net;
using System.Net.Sockets;
using LiteKube.Agent.Registration;
using LiteKube.ApiServer;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Controllers;
using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security;
using LiteKube.Datastore;
using LiteKube.Datastore.EtcdApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using LiteKube.Cluster.Membership;
using LiteKube.Host.Membership;
using LiteKube.Host.Tls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host;

/// <summary>One litekube server: the embedded datastore (RocksDB under <c>&lt;data-dir&gt;/db</c>)
/// served over the etcd v3 API (plaintext, loopback only) and the Kubernetes API (HTTPS on
/// <see cref="ServerSettings.ApiPort"/>, keys under <c>&lt;data-dir&gt;/tls</c>, admin kubeconfig
/// at <c>&lt;data-dir&gt;/kubeconfig</c>). Later issues add the control loops and agent here.
/// A process may run several hosts, each with its own settings (tests do); nothing is static.</summary>
/// <remarks>Start with <see cref="StartAsync"/>; it returns once every listener accepts and the
/// ready line is logged. <see cref="StopAsync"/> stops accepting, lets in-flight requests answer
/// (up to <see cref="ShutdownTimeout"/>), then closes the datastore and releases the data
/// directory lock. Every startup failure is a <see cref="ServerStartupException"/>.</remarks>
public sealed partial class ServerHost : IAsyncDisposable, ILocalNode
{
    /// <summary>How long a stop waits for unary requests in flight before connections are cut.
    /// Streams (watches) are ended at once; see <see cref="StreamingCallShutdown"/>.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    private readonly StartedParts parts;
    private readonly ILogger logger;
    private readonly Lazy<Task> stop;
    private readonly NodeAgent agent;
    private readonly CancellationTokenSource stopRequested = new();
    private volatile bool wipeOnStop;

    private ServerHost(ServerSettings settings, MemberIdentity identity, Uri etcdEndpoint, StartedParts parts, ILogger logger, NodeAgent agent)
    {
        this.parts = parts;
        this.agent = agent;
        Settings = settings;
        MemberId = identity.MemberId;
        ClusterId = identity.ClusterId;
        EtcdEndpoint = etcdEndpoint;
        ApiEndpoint = KubeconfigServerUri(settings);
        KubeconfigPath = parts.Credentials!.KubeconfigPath;
        this.logger = logger;
        stop = new Lazy<Task>(StopCoreAsync);
    }

    public ServerSettings Settings { get; }

    public ulong MemberId { get; }

    public ulong ClusterId { get; }

    /// <summary>Where etcd clients connect, e.g. <c>http://127.0.0.1:2379</c> (with the real
    /// port when <see cref="ServerSettings.EtcdPort"/> was 0).</summary>
    public Uri EtcdEndpoint { get; }

    /// <summary>Where the admin kubeconfig points, e.g. <c>https://127.0.0.1:6443</c>.</summary>
    public Uri ApiEndpoint { get; }

    /// <summary><c>&lt;data-dir&gt;/kubeconfig</c>: cluster-admin credentials (mode 0600).</summary>
    public string KubeconfigPath { get; }

    public static async Task<ServerHost> StartAsync(ServerSettings settings, ILoggerFactory loggerFactory,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger<ServerHost>();
        LogStarting(logger, settings.NodeName, settings.DataDirectory);

        DataDirectories.Prepare(settings.DataDirectory);
        var dataDirectoryLock = DataDirectoryLock.Acquire(settings.DataDirectory);
        var parts = new StartedParts(dataDirectoryLock);
        try
        {
            if (settings.Join is { } join && !ClusterJoin.HasJoined(settings.DataDirectory))
            {
                await ClusterJoin.JoinAsync(settings, join, logger, cancellationToken);
            }

            // A server that joined a cluster on an external etcd uses that etcd from then on.
            settings = JoinedDatastore.Apply(settings);

            var external = parts.External = await OpenExternalDatastoreAsync(settings, timeProvider, loggerFactory, logger, cancellationToken);
            if (external is not null && settings.ExternalDatastore!.Token is { } token)
            {
                await Step("sharing the cluster keys through the external datastore",
                    ct => SharedClusterKeys.ShareAsync(external, settings, token, timeProvider, logger, ct), settings, timeProvider, logger, cancellationToken);
            }

            var credentials = parts.Credentials = ClusterCredentials.LoadOrCreate(settings, timeProvider, logger);
            var tls = new ClusterTls(credentials.Authority, credentials.PeerCertificate, timeProvider);
            var embedded = external is null ? parts.Embedded = await EmbeddedDatastore.OpenAsync(settings, tls, timeProvider, loggerFactory) : null;
            var store = external ?? embedded!.Store;
            var identity = embedded?.Identity ?? MemberIdentity.LoadOrCreate(settings.DataDirectory);
            var peers = parts.Peers = new ClusterApiClient(tls.PeerClientOptions(), ClusterJoin.CallTimeout);
            var clusterApi = new ClusterApi(settings, identity, store, embedded?.Store, credentials, peers, timeProvider, loggerFactory.CreateLogger<ClusterApi>());
            parts.Listener = await ClusterListener.StartAsync(settings, tls, embedded?.Transport, clusterApi, loggerFactory, cancellationToken);
            if (embedded is not null)
            {
                await RemovalCheck.ThrowIfRemovedAsync(embedded.Store, peers, settings, logger, cancellationToken);
                clusterApi.Roles = parts.Roles = new RoleManager(embedded.Store, clusterApi.Planner, timeProvider, loggerFactory.CreateLogger<RoleManager>());
                await embedded.WaitForLeaderAsync(timeProvider, logger, cancellationToken);
            }

            await Step("recording the cluster CA",
                ct => ClusterAuthorityRecord.EnsureAsync(store, credentials.Authority.CertificatePem, settings.DataDirectory, ct), settings, timeProvider, logger, cancellationToken);
            var app = parts.App = BuildWebApplication(settings, identity, store, embedded, credentials, loggerFactory, timeProvider);
            await InitializeKubernetesApiAsync(app, settings, timeProvider, logger, cancellationToken);
            var endpoint = await StartListeningAsync(app, settings, cancellationToken);
            // Only once the API listens: the node registers itself through it, like any kubelet.
            var agent = await NodeAgent.StartAsync(settings, credentials.AgentKubeconfigPath, loggerFactory, timeProvider, cancellationToken);
            var host = new ServerHost(settings, identity, endpoint, parts, logger, agent);
            clusterApi.LocalNode = host;
            LocalServerFile.Write(settings);
            LogReady(logger, settings.ExternalDatastore is null ? endpoint.GetLeftPart(UriPartial.Authority) : settings.DatastoreDescription, host.ApiEndpoint.GetLeftPart(UriPartial.Authority), settings.DataDirectory);
            return host;
        }
        catch
        {
            await parts.DisposeAsync();
            parts.ReleaseDataDirectory();
            throw;
        }
    }

    /// <summary>Stops the server gracefully. Safe to call more than once and concurrently;
    /// every caller waits for the same stop.</summary>
    public Task StopAsync() => stop.Value;

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Cancelled when the server asks to be stopped from within (it left the
    /// cluster); the program then stops it as on SIGTERM.</summary>
    public CancellationToken StopRequested => stopRequested.Token;

    async Task ILocalNode.MarkLeftAsync(CancellationToken cancellationToken) => await agent.MarkLeftAsync(cancellationToken);

    void ILocalNode.StopAndWipe()
    {
        wipeOnStop = true;
        LogLeaving(logger);
        // After the answer is on its way: the caller waits for this process to end.
        _ = Task.Delay(TimeSpan.FromMilliseconds(200)).ContinueWith(_ => stopRequested.Cancel(), TaskScheduler.Default);
    }

    private async Task StopCoreAsync()
    {
        LogStopping(logger);
        LocalServerFile.Delete(Settings);
        try
        {
            await agent.DisposeAsync();
        }
        finally
        {
            await parts.DisposeAsync();
        }

        if (wipeOnStop)
        {
            LocalState.Wipe(Settings.DataDirectory);
        }

        parts.ReleaseDataDirectory();
        stopRequested.Dispose();
        LogStopped(logger);
    }

    private static WebApplication BuildWebApplication(ServerSettings settings, MemberIdentity identity,
        IKeyValueStore store, EmbeddedDatastore? embedded, ClusterCredentials credentials, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        // The empty builder reads no appsettings.json and no ASPNETCORE_* variables: the only
        // configuration is ServerSettings, so nothing on the machine changes behaviour silently.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "litekube" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(timeProvider);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(store);
        // The etcd API serves the embedded store only: with an external etcd, clients use that.
        var maintenance = embedded?.Store;
        if (maintenance is not null)
        {
            builder.Services.AddSingleton<IDatastoreMaintenance>(maintenance);
        }
        builder.Services.AddRouting();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // etcdctl speaks gRPC over HTTP/2 without TLS (h2c) to http:// endpoints; with
            // prior knowledge only, so the listener must be HTTP/2 only.
            if (maintenance is not null)
            {
                kestrel.Listen(settings.EtcdListenAddress, settings.EtcdPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    listen.UseEtcdClientCompatibility();
                });
            }
            kestrel.Listen(settings.BindAddress, settings.ApiPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = credentials.ServingCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    // The authenticator decides: an unknown certificate gets a 401 Status, not a TLS failure.
                    ClientCertificateValidation = (_, _, _) => true,
                });
            });
        });
        builder.Services.AddSingleton<MatcherPolicy, ListenerMatcherPolicy>();

        if (maintenance is not null)
        {
            var client = new IPEndPoint(settings.EtcdListenAddress, settings.EtcdPort);
            var member = new EtcdMemberInfo(identity.MemberId, identity.ClusterId, settings.NodeName,
                [$"{EmbeddedDatastore.PeerScheme}://{settings.PeerAddress}"], [$"http://{client}"]);
            builder.Services.AddSingleton<IEtcdClusterView>(new ReplicatedClusterView(maintenance, member, EmbeddedDatastore.PeerScheme));
            builder.Services.AddEtcdApi(member);
        }

        builder.Services.AddSingleton(credentials.Authority);
        // What every namespace's kube-root-ca.crt carries: the CA that signed the serving certificate.
        builder.Services.AddSingleton(new RootCaPublisherOptions(credentials.Authority.CertificatePem));
        builder.Services.AddSingleton(new ApiServerSecurityOptions
        {
            ServiceAccountKey = credentials.ServiceAccountKey,
            TokenAuthFile = settings.TokenAuthFile,
        });
        // Before AddKubernetesApi, which registers the default range only when the host did not.
        builder.Services.AddSingleton(new ServiceNetworkOptions { ServiceCidr = settings.ServiceCidr.Network });
        builder.Services.AddKubernetesApi();
        builder.Services.AddKubernetesServiceEndpoints(settings.AdvertiseAddress, settings.ApiPort);

        var app = builder.Build();
        app.UseRouting(); // so that the next middleware knows which gRPC method a request calls
        app.UseStreamingCallShutdown();
        if (maintenance is not null)
        {
            var etcd = app.MapGroup("");
            etcd.MapEtcdApi();
            etcd.WithMetadata(new ListenerMetadata(settings.ApiPort, ApiListener: false));
        }
        var kubernetes = app.MapGroup("");
        kubernetes.MapKubernetesApi();
        kubernetes.WithMetadata(new ListenerMetadata(settings.ApiPort, ApiListener: true));
        return app;
    }

    /// <summary>Creates what the API needs before its first request (system namespaces, default
    /// RBAC) and loads the token file, so that a bad one fails the start, not a request.</summary>
    private static async Task InitializeKubernetesApiAsync(WebApplication app, ServerSettings settings, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await Step("creating the system namespaces and default roles", async ct =>
            {
                await SystemNamespaces.EnsureAsync(app.Services.GetRequiredService<ObjectStore>(), app.Services.GetRequiredService<ResourceCatalog>(), ct);
                await app.Services.GetRequiredService<NamespaceDefaultsExecutor>().EnsureAsync(SystemNamespaces.Names, ct);
                await KubernetesService.EnsureAsync(app.Services.GetRequiredService<ObjectStore>(), app.Services.GetRequiredService<ResourceCatalog>(),
                    app.Services.GetRequiredService<ServiceNetworkOptions>(), settings.ApiPort, ct);
                await SecurityServiceCollectionExtensions.InitializeKubernetesApiSecurityAsync(app.Services, ct);
            }, settings, time, logger, cancellationToken);
        }
        catch (TokenFileException e)
        {
            throw new ServerStartupException($"--token-auth-file: {OneLine(e.Message)}; fix the file or leave the setting out", e);
        }
    }

    /// <summary>An idempotent start-up step against the datastore: retried while the datastore
    /// is unavailable (<see cref="StartupRetry"/>), then a one-line start-up error.</summary>
    private static async Task Step(string step, Func<CancellationToken, Task> action, ServerSettings settings, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await StartupRetry.RunAsync(step, action, time, logger, cancellationToken);
        }
        catch (DatastoreException e)
        {
            throw new ServerStartupException($"{step} in {settings.DatastoreDescription}: {OneLine(e.Message)}", e);
        }
    }

    private static Uri KubeconfigServerUri(ServerSettings settings) =>
        LiteKube.Cluster.Kubeconfig.KubeconfigServer.For(settings.BindAddress, settings.ApiPort);

    private static async Task<Uri> StartListeningAsync(WebApplication app, ServerSettings settings, CancellationToken cancellationToken)
    {
        var address = new IPEndPoint(settings.EtcdListenAddress, settings.EtcdPort);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (FindInChain<AddressInUseException>(e) is not null)
        {
            // Kestrel binds the listeners in order and names the endpoint in its message.
            var api = new IPEndPoint(settings.BindAddress, settings.ApiPort);
            var (what, where, flag) = MessagesInChain(e).Any(m => m.Contains($":{settings.ApiPort}", StringComparison.Ordinal))
                ? ("the Kubernetes API", api, "--api-port")
                : ("the etcd API", address, "--etcd-port");
            throw new ServerStartupException(
                $"starting {what} on {where}: the address is already in use; stop what listens there or choose another {flag}", e);
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"starting the listeners on {settings.BindAddress}: {OneLine(e.Message)}", e);
        }

        if (settings.ExternalDatastore is { } external)
        {
            return external.Endpoints[0];
        }

        // With port 0 (tests) the kernel picked the port; report the real one.
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal));
        return new Uri(bound ?? $"http://{address}");
    }

    internal static T? FindInChain<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }
        return null;
    }

    private static IEnumerable<string> MessagesInChain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e.Message;
        }
    }

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}

using System.Net;
using System.Net.Sockets;
using LiteKube.Datastore;
using LiteKube.Datastore.EtcdApi;
using LiteKube.Datastore.Mvcc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host;

/// <summary>One litekube server: the embedded datastore (RocksDB under <c>&lt;data-dir&gt;/db</c>)
/// served over the etcd v3 API. Later issues add the API server, control loops and agent here.
/// A process may run several hosts, each with its own settings (tests do); nothing is static.</summary>
/// <remarks>Start with <see cref="StartAsync"/>; it returns once every listener accepts and the
/// ready line is logged. <see cref="StopAsync"/> stops accepting, lets in-flight requests answer
/// (up to <see cref="ShutdownTimeout"/>), then closes the datastore and releases the data
/// directory lock. Every startup failure is a <see cref="ServerStartupException"/>.</remarks>
public sealed partial class ServerHost : IAsyncDisposable
{
    /// <summary>How long a stop waits for in-flight requests (a watch stream never ends on its
    /// own, so this bounds the stop) before connections are cut.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The cluster port of ARCHITECTURE section 1; member list reports it as the peer
    /// URL now so that the URL stays the same when Raft peers start using it.</summary>
    private const int ClusterPort = 25000;

    private readonly WebApplication app;
    private readonly LocalStore store;
    private readonly DataDirectoryLock dataDirectoryLock;
    private readonly ILogger logger;
    private readonly Lazy<Task> stop;

    private ServerHost(ServerSettings settings, MemberIdentity identity, Uri etcdEndpoint, WebApplication app,
        LocalStore store, DataDirectoryLock dataDirectoryLock, ILogger logger)
    {
        Settings = settings;
        MemberId = identity.MemberId;
        ClusterId = identity.ClusterId;
        EtcdEndpoint = etcdEndpoint;
        this.app = app;
        this.store = store;
        this.dataDirectoryLock = dataDirectoryLock;
        this.logger = logger;
        stop = new Lazy<Task>(StopCoreAsync);
    }

    public ServerSettings Settings { get; }

    public ulong MemberId { get; }

    public ulong ClusterId { get; }

    /// <summary>Where etcd clients connect, e.g. <c>http://127.0.0.1:2379</c> (with the real
    /// port when <see cref="ServerSettings.EtcdPort"/> was 0).</summary>
    public Uri EtcdEndpoint { get; }

    public static async Task<ServerHost> StartAsync(ServerSettings settings, ILoggerFactory loggerFactory,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger<ServerHost>();
        LogStarting(logger, settings.NodeName, settings.DataDirectory);

        DataDirectories.Prepare(settings.DataDirectory);
        var dataDirectoryLock = DataDirectoryLock.Acquire(settings.DataDirectory);
        LocalStore? store = null;
        WebApplication? app = null;
        try
        {
            store = await OpenDatastoreAsync(settings, timeProvider);
            var identity = MemberIdentity.LoadOrCreate(settings.DataDirectory);
            app = BuildWebApplication(settings, identity, store, loggerFactory, timeProvider);
            var endpoint = await StartListeningAsync(app, settings, cancellationToken);
            var host = new ServerHost(settings, identity, endpoint, app, store, dataDirectoryLock, logger);
            LogReady(logger, endpoint.GetLeftPart(UriPartial.Authority), settings.DataDirectory);
            return host;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            if (store is not null)
            {
                await store.DisposeAsync();
            }
            dataDirectoryLock.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server gracefully. Safe to call more than once and concurrently;
    /// every caller waits for the same stop.</summary>
    public Task StopAsync() => stop.Value;

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StopCoreAsync()
    {
        LogStopping(logger);
        try
        {
            using var timeout = new CancellationTokenSource(ShutdownTimeout);
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
            await store.DisposeAsync();
            dataDirectoryLock.Dispose();
        }
        LogStopped(logger);
    }

    private static async Task<LocalStore> OpenDatastoreAsync(ServerSettings settings, TimeProvider timeProvider)
    {
        await Task.Yield();
        try
        {
            return LocalStore.OpenRocksDb(settings.DatastoreDirectory, new LocalStoreOptions { Time = timeProvider });
        }
        catch (DatastoreException e)
        {
            throw new ServerStartupException(
                $"opening the datastore in {settings.DatastoreDirectory}: {OneLine(e.Message)}; if the data is damaged, restore a backup or move the directory aside to start empty", e);
        }
    }

    private static WebApplication BuildWebApplication(ServerSettings settings, MemberIdentity identity,
        LocalStore store, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        // The empty builder reads no appsettings.json and no ASPNETCORE_* variables: the only
        // configuration is ServerSettings, so nothing on the machine changes behaviour silently.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "litekube" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(timeProvider);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton<IKeyValueStore>(store);
        builder.Services.AddSingleton<IDatastoreMaintenance>(store);
        builder.Services.AddRouting();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // etcdctl speaks gRPC over HTTP/2 without TLS (h2c) to http:// endpoints; with
            // prior knowledge only, so the listener must be HTTP/2 only.
            kestrel.Listen(settings.EtcdListenAddress, settings.EtcdPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseEtcdClientCompatibility();
            });
        });

        var advertised = new IPEndPoint(settings.AdvertiseAddress, ClusterPort);
        var client = new IPEndPoint(settings.EtcdListenAddress, settings.EtcdPort);
        builder.Services.AddEtcdApi(new EtcdMemberInfo(identity.MemberId, identity.ClusterId, settings.NodeName,
            [$"https://{advertised}"], [$"http://{client}"]));

        var app = builder.Build();
        app.MapEtcdApi();
        return app;
    }

    private static async Task<Uri> StartListeningAsync(WebApplication app, ServerSettings settings, CancellationToken cancellationToken)
    {
        var address = new IPEndPoint(settings.EtcdListenAddress, settings.EtcdPort);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (FindInChain<AddressInUseException>(e) is not null)
        {
            throw new ServerStartupException(
                $"starting the etcd API on {address}: the address is already in use; stop what listens there or choose another --etcd-port", e);
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"starting the etcd API on {address}: {OneLine(e.Message)}", e);
        }

        // With port 0 (tests) the kernel picked the port; report the real one.
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return new Uri(bound ?? $"http://{address}");
    }

    private static T? FindInChain<T>(Exception? e) where T : Exception
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

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}

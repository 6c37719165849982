using System.Net;
using System.Net.Sockets;
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Storage;
using LiteKube.Datastore.Replication.Transport;
using LiteKube.Datastore.Storage;
using LiteKube.Host.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host;

/// <summary>
/// The embedded datastore of a server: the replicated store over RocksDB under
/// <c>&lt;data-dir&gt;/db</c> (MVCC data and Raft log in one database), and the cluster listener
/// (<see cref="ServerSettings.ClusterPort"/>) that carries Raft traffic between servers. A lone
/// server is a cluster of one voter, as etcd is, so that others can join it later.
/// </summary>
/// <remarks>
/// The cluster listener speaks plaintext HTTP/2 for now; every call must name this cluster's id.
/// Mutual TLS with certificates of the cluster CA arrives with joining (issue #5), which is also
/// what makes servers share one CA.
/// </remarks>
internal sealed partial class EmbeddedDatastore : IAsyncDisposable
{
    /// <summary>How member lists show peer URLs: plaintext HTTP/2 until joining brings TLS.</summary>
    public const string PeerScheme = "http";

    private readonly WebApplication listener;

    private EmbeddedDatastore(ReplicatedStore store, MemberIdentity identity, WebApplication listener)
    {
        Store = store;
        Identity = identity;
        this.listener = listener;
    }

    public ReplicatedStore Store { get; }

    public MemberIdentity Identity { get; }

    /// <summary>Opens the store (bootstrapping a new cluster when the datastore is empty) and
    /// starts the cluster listener. Returns before a leader exists; see <see cref="WaitForLeaderAsync"/>.</summary>
    public static async Task<EmbeddedDatastore> OpenAsync(ServerSettings settings, TimeProvider time, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var engine = OpenEngine(settings);
        ReplicatedStore? store = null;
        try
        {
            var (log, identity, founders) = OpenLog(engine, settings);
            GrpcRaftTransport? transport = null;
            store = ReplicatedStore.Start(engine, log, snapshots => transport = new GrpcRaftTransport(new GrpcRaftTransportOptions
            {
                ClusterId = identity.ClusterId,
                MemberId = identity.MemberId,
                Limits = new RaftTransportOptions { SnapshotDirectory = SnapshotDirectory(settings) },
                Time = time,
            }, snapshots, loggerFactory.CreateLogger<GrpcRaftTransport>()), new ReplicatedStoreOptions
            {
                Raft = new RaftHostOptions { Id = identity.MemberId, Time = time },
                Name = settings.NodeName,
                PeerAddress = settings.PeerAddress,
                InitialMembers = founders,
                Time = time,
            });
            var listener = await StartListenerAsync(settings, transport!, loggerFactory, cancellationToken);
            return new EmbeddedDatastore(store, identity, listener);
        }
        catch
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
            else
            {
                engine.Dispose();
            }
            throw;
        }
    }

    /// <summary>Waits until the cluster has a leader: at once for a lone server; for founding
    /// members, once enough of them run (logged every few seconds, as etcd waits for its peers).</summary>
    public async Task WaitForLeaderAsync(TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var next = time.GetUtcNow();
        while (Store.RaftStatus.Leader == 0)
        {
            if (time.GetUtcNow() >= next)
            {
                LogWaitingForLeader(logger, string.Join(", ", Store.Members().Select(m => $"{m.Name} ({m.PeerAddress})")));
                next = time.GetUtcNow() + TimeSpan.FromSeconds(5);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    /// <summary>The store first: its transport ends the peers' incoming streams, so the listener
    /// then stops without waiting for them.</summary>
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        using var timeout = new CancellationTokenSource(ServerHost.ShutdownTimeout);
        try
        {
            await listener.StopAsync(timeout.Token);
        }
        finally
        {
            await listener.DisposeAsync();
        }
    }

    private static RocksDbEngine OpenEngine(ServerSettings settings)
    {
        try
        {
            return RocksDbEngine.Open(settings.DatastoreDirectory);
        }
        catch (DatastoreException e)
        {
            throw new ServerStartupException(
                $"opening the datastore in {settings.DatastoreDirectory}: {ServerHost.OneLine(e.Message)}; if the data is damaged, restore a backup or move the directory aside to start empty", e);
        }
    }

    /// <summary>The Raft log, bootstrapped on first start: the founding members of
    /// <c>--initial-cluster</c>, or this server alone. Existing data without a log (a restored
    /// backup, a datastore from before replication) becomes a new cluster over the same data.</summary>
    private static (RocksDbRaftLogStore Log, MemberIdentity Identity, IReadOnlyList<(ulong, string, string)> Founders) OpenLog(
        IStorageEngine engine, ServerSettings settings)
    {
        RocksDbRaftLogStore log;
        try
        {
            log = RocksDbRaftLogStore.Open(engine);
        }
        catch (DatastoreException e)
        {
            throw new ServerStartupException(
                $"reading the Raft log in {settings.DatastoreDirectory}: {ServerHost.OneLine(e.Message)}; restore a backup or move the directory aside to start empty", e);
        }

        var bootstrap = settings.InitialCluster;
        var derived = bootstrap is null ? null : new MemberIdentity(bootstrap.MemberId(settings.NodeName), bootstrap.ClusterId);
        var identity = MemberIdentity.LoadOrCreate(settings.DataDirectory, log.IsEmpty ? derived : null);
        IReadOnlyList<(ulong, string, string)> founders = bootstrap is null
            ? [(identity.MemberId, settings.NodeName, settings.PeerAddress)]
            : [.. bootstrap.Members.Select(m => (bootstrap.MemberId(m.Name), m.Name, m.PeerAddress))];
        if (!log.IsEmpty)
        {
            return (log, identity, founders);
        }

        if (derived is not null && derived != identity)
        {
            throw new ServerStartupException(
                $"--initial-cluster: {settings.DataDirectory} already belongs to member {identity.MemberId:x16} of cluster {identity.ClusterId:x16}, not to the cluster listed; start founding members with an empty --data-dir");
        }

        log.Dispose();
        IReadOnlyList<ulong> voters = [.. founders.Select(f => f.Item1)];
        var applied = MvccStateMachine.ReadAppliedIndex(engine);
        return (RocksDbRaftLogStore.Bootstrap(engine, new ConfState(voters, []), index: Math.Max(1, applied)), identity, founders);
    }

    private static string SnapshotDirectory(ServerSettings settings)
    {
        var directory = Path.Combine(settings.DataDirectory, "snapshots");
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static async Task<WebApplication> StartListenerAsync(ServerSettings settings, GrpcRaftTransport transport,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "litekube-cluster" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddRouting();
        builder.Services.AddRaftTransport(transport);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(settings.BindAddress, settings.ClusterPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.UseRouting();
        app.UseStreamingCallShutdown();
        app.MapRaftTransport();
        try
        {
            await app.StartAsync(cancellationToken);
            return app;
        }
        catch (Exception e)
        {
            await app.DisposeAsync();
            var where = new IPEndPoint(settings.BindAddress, settings.ClusterPort);
            throw e switch
            {
                _ when ServerHost.FindInChain<AddressInUseException>(e) is not null => new ServerStartupException(
                    $"starting the cluster listener on {where}: the address is already in use; stop what listens there or choose another --cluster-port", e),
                IOException or SocketException or UnauthorizedAccessException => new ServerStartupException(
                    $"starting the cluster listener on {where}: {ServerHost.OneLine(e.Message)}", e),
                _ => e,
            };
        }
    }

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "waiting for the datastore to elect a leader among {Members}")]
    private static partial void LogWaitingForLeader(ILogger logger, string members);
}

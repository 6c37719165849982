using System.Net;
using System.Net.Sockets;
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;
using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Storage;
using LiteKube.Datastore.Replication.Transport;
using LiteKube.Datastore.Storage;
using LiteKube.Host.Membership;
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
/// Raft traffic uses mutual TLS with the servers' cluster-port certificates
/// (<see cref="ClusterTls"/>); the <see cref="ClusterListener"/> receives it.
/// </remarks>
internal sealed partial class EmbeddedDatastore : IAsyncDisposable
{
    /// <summary>How member lists show peer URLs.</summary>
    public const string PeerScheme = "https";

    private EmbeddedDatastore(ReplicatedStore store, MemberIdentity identity, GrpcRaftTransport transport)
    {
        Store = store;
        Identity = identity;
        Transport = transport;
    }

    public ReplicatedStore Store { get; }

    public MemberIdentity Identity { get; }

    /// <summary>For the cluster listener, which receives what peers send.</summary>
    public GrpcRaftTransport Transport { get; }

    /// <summary>Opens the store, bootstrapping a new cluster when the datastore is empty and this
    /// server did not join one. Returns before a leader exists; see <see cref="WaitForLeaderAsync"/>.</summary>
    public static async Task<EmbeddedDatastore> OpenAsync(ServerSettings settings, ClusterTls tls, TimeProvider time, ILoggerFactory loggerFactory)
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
                Channels = new TlsRaftChannelFactory(tls.PeerClientOptions()),
                Time = time,
            }, snapshots, loggerFactory.CreateLogger<GrpcRaftTransport>()), new ReplicatedStoreOptions
            {
                Raft = new RaftHostOptions { Id = identity.MemberId, Time = time },
                Name = settings.NodeName,
                PeerAddress = settings.PeerAddress,
                InitialMembers = founders,
                Time = time,
            });
            return new EmbeddedDatastore(store, identity, transport!);
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

    /// <summary>Waits until the cluster has a leader and this member knows the configuration
    /// it belongs to: at once for a lone server; for founding members, once enough of them run
    /// (logged every few seconds, as etcd waits for its peers); for a member that just joined,
    /// once the leader's snapshot is installed. Writes proposed before that would be applied
    /// inside the snapshot, where their callers never hear of them.</summary>
    public async Task WaitForLeaderAsync(TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var next = time.GetUtcNow();
        while (Store.RaftStatus.Leader == 0 || !Store.Members().Any(m => m.Id == Store.Id))
        {
            if (time.GetUtcNow() >= next)
            {
                var members = Store.Members();
                if (members.Count == 0)
                {
                    LogCatchingUp(logger);
                }
                else
                {
                    LogWaitingForLeader(logger, string.Join(", ", members.Select(m => $"{m.Name} ({m.PeerAddress})")));
                }

                next = time.GetUtcNow() + TimeSpan.FromSeconds(5);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    /// <summary>Closes the store; its transport ends the peers' incoming streams, so the
    /// cluster listener then stops without waiting for them.</summary>
    public ValueTask DisposeAsync() => Store.DisposeAsync();

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
    /// backup, a datastore from before replication) becomes a new cluster over the same data. A
    /// server that joined starts with an empty log and the members it may first hear from: the
    /// leader's snapshot brings the rest.</summary>
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

        if (JoinedCluster.Load(settings.DataDirectory) is { } joined)
        {
            return (log, MemberIdentity.LoadOrCreate(settings.DataDirectory), joined.Founders());
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

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "waiting for the datastore leader's snapshot (this member joined and is catching up)")]
    private static partial void LogCatchingUp(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "waiting for the datastore to elect a leader among {Members}")]
    private static partial void LogWaitingForLeader(ILogger logger, string members);
}

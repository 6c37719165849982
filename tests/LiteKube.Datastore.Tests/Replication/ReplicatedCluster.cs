using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Transport;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Tests.Replication;

/// <summary>
/// N replicated members in this process over an <see cref="InMemoryRaftHub"/>: each with its own
/// RocksDB directory and its own Raft log (kept across a stop, like a disk), so a member can be
/// stopped, restarted, partitioned and healed. Raft ticks run on the real clock, fast (20 ms);
/// leases and watch progress on the clock the test gives.
/// </summary>
public sealed class ReplicatedCluster : IAsyncDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("litekube-cluster-");
    private readonly Dictionary<ulong, MemoryRaftStorage> _logs = [];
    private readonly Dictionary<ulong, ReplicatedStore> _running = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _progressInterval;
    private readonly Func<RaftHostOptions, RaftHostOptions> _tune;
    private readonly TimeSpan _requestTimeout;
    private readonly List<(ulong Id, string Name, string PeerAddress)> _founders;

    public InMemoryRaftHub Hub { get; } = new();

    private ReplicatedCluster(int size, TimeProvider time, TimeSpan progressInterval, Func<RaftHostOptions, RaftHostOptions>? tune, TimeSpan requestTimeout)
    {
        _time = time;
        _requestTimeout = requestTimeout;
        _progressInterval = progressInterval;
        _tune = tune ?? (o => o);
        _founders = [.. Enumerable.Range(1, size).Select(i => ((ulong)i, $"m{i}", $"m{i}"))];
        var membership = new ConfState([.. _founders.Select(f => f.Id)], []);
        foreach (var (id, _, _) in _founders)
        {
            _logs[id] = MemoryRaftStorage.Bootstrap(membership);
        }
    }

    /// <summary>Starts <paramref name="size"/> founding members (ids 1..N) and waits until
    /// member 1 leads (it campaigns at once, so tests need not wait out an election timeout).</summary>
    public static async Task<ReplicatedCluster> StartAsync(
        int size, TimeProvider? time = null, TimeSpan? progressInterval = null, Func<RaftHostOptions, RaftHostOptions>? tune = null, TimeSpan? requestTimeout = null)
    {
        var cluster = new ReplicatedCluster(size, time ?? TimeProvider.System, progressInterval ?? TimeSpan.FromMinutes(10), tune, requestTimeout ?? TimeSpan.FromSeconds(10));
        foreach (var id in cluster._logs.Keys.ToList())
        {
            cluster.Start(id);
        }

        cluster.Member(1).CampaignNow();
        await cluster.WaitForLeaderAsync();
        return cluster;
    }

    public IReadOnlyCollection<ulong> Ids => _running.Keys;

    public ReplicatedStore Member(ulong id) => _running[id];

    /// <summary>Starts (or restarts) member <paramref name="id"/> over its data and log; an id the
    /// cluster has not seen starts empty, as a joining member does, reachable under
    /// <paramref name="name"/> (the peer address it was added with).</summary>
    public ReplicatedStore Start(ulong id, string? name = null)
    {
        var log = _logs.TryGetValue(id, out var existing) ? existing : _logs[id] = new MemoryRaftStorage();
        name ??= _founders.First(f => f.Id == id).Name;
        var store = ReplicatedStore.Start(
            RocksDbEngine.Open(Path.Combine(_directory.FullName, $"{id:x}")), log,
            source => Hub.Connect(name, source, new RaftTransportOptions { SnapshotDirectory = _directory.FullName }),
            new ReplicatedStoreOptions
            {
                Raft = _tune(new RaftHostOptions { Id = id, Seed = (int)id, TickInterval = TimeSpan.FromMilliseconds(20) }),
                Name = name,
                PeerAddress = name,
                InitialMembers = _founders,
                Time = _time,
                ProgressNotifyInterval = _progressInterval,
                RequestTimeout = _requestTimeout,
            });
        _running[id] = store;
        return store;
    }

    /// <summary>Stops a member cleanly; its data and log stay for a restart.</summary>
    public async Task StopAsync(ulong id)
    {
        await _running[id].DisposeAsync();
        _running.Remove(id);
    }

    /// <summary>Cuts <paramref name="id"/> off from every other member, both ways.</summary>
    public void Isolate(ulong id) => Hub.Partition([id], [.. _logs.Keys.Where(k => k != id)]);

    public void Heal() => Hub.Heal();

    /// <summary>The member every running member agrees leads (waits up to 15 s).</summary>
    public async Task<ReplicatedStore> WaitForLeaderAsync(IReadOnlyCollection<ulong>? among = null)
    {
        var members = (among ?? _running.Keys).Select(id => _running[id]).ToList();
        ulong leader = 0;
        await Eventually.TrueAsync(() =>
        {
            var leaders = members.Select(m => m.RaftStatus.Leader).Distinct().ToList();
            leader = leaders is [var only] && only != 0 && members.Any(m => m.Id == only && m.IsLeader) ? only : 0;
            return leader != 0;
        }, "the members agree on a leader");
        return _running[leader];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _running.Values)
        {
            await store.DisposeAsync();
        }

        _running.Clear();
        _directory.Delete(recursive: true);
    }
}

/// <summary>Polls a condition that background work makes true, failing after a patience.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting until {what}");
            }

            await Task.Delay(10);
        }
    }
}

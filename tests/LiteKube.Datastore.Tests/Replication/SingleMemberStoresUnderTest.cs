using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Storage;
using LiteKube.Datastore.Tests.Contract;

namespace LiteKube.Datastore.Tests.Replication;

/// <summary>A one-voter replicated store on the in-memory engine: every proposal goes through
/// the Raft host (log, commit, apply) with no peer to wait for.</summary>
public sealed class SingleMemberStoreUnderTest : IStoreUnderTest
{
    public Task<IKeyValueStore> OpenAsync(TimeProvider time, TimeSpan progressNotifyInterval) =>
        Task.FromResult<IKeyValueStore>(ReplicatedStore.Start(
            new InMemoryEngine(), MemoryRaftStorage.Bootstrap(new ConfState([1], [])), _ => new LonelyTransport(),
            SingleMember.Options(time, progressNotifyInterval)));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A one-voter replicated store on RocksDB whose Raft log (in memory) outlives a close,
/// so that a reopen replays the log over what the MVCC store had applied.</summary>
public sealed class DurableSingleMemberStoreUnderTest : IDurableStoreUnderTest
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("litekube-replicated-");
    private readonly MemoryRaftStorage _log = MemoryRaftStorage.Bootstrap(new ConfState([1], []));

    public Task<IKeyValueStore> OpenAsync(TimeProvider time, TimeSpan progressNotifyInterval) =>
        Task.FromResult<IKeyValueStore>(ReplicatedStore.Start(
            RocksDbEngine.Open(Path.Combine(_directory.FullName, "db")), _log, _ => new LonelyTransport(),
            SingleMember.Options(time, progressNotifyInterval)));

    public ValueTask DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

internal static class SingleMember
{
    /// <summary>Raft runs on the real clock (its ticks are not what the contract tests move);
    /// leases and watch progress run on the test's clock.</summary>
    public static ReplicatedStoreOptions Options(TimeProvider time, TimeSpan progressNotifyInterval) => new()
    {
        Raft = new RaftHostOptions { Id = 1, Seed = 1, TickInterval = TimeSpan.FromMilliseconds(20) },
        Name = "solo",
        Time = time,
        ProgressNotifyInterval = progressNotifyInterval,
    };
}

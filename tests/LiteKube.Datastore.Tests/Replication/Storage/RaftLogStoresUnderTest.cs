using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Storage;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Tests.Replication.Storage;

/// <summary>The seam between the log store contract suite and one <see cref="IRaftLogStore"/>.
/// xunit makes one per test; disposing it removes what it left behind.</summary>
public interface IRaftLogStoreUnderTest : IDisposable
{
    IRaftLogStore CreateEmpty();

    IRaftLogStore Bootstrap(ConfState initial);
}

/// <summary>A store whose data outlives the object: it can be reopened and damaged on purpose.</summary>
public interface IDurableRaftLogStoreUnderTest : IRaftLogStoreUnderTest
{
    /// <summary>Closes the current store (and its engine) and opens the same data again.</summary>
    IRaftLogStore Reopen();

    /// <summary>Writes raw bytes behind the store's back, as a bad disk or a bug would.</summary>
    void Damage(Action<IStorageBatch> write);
}

public sealed class MemoryRaftStorageUnderTest : IRaftLogStoreUnderTest
{
    public IRaftLogStore CreateEmpty() => new MemoryRaftStorage();

    public IRaftLogStore Bootstrap(ConfState initial) => MemoryRaftStorage.Bootstrap(initial);

    public void Dispose()
    {
    }
}

/// <summary><see cref="RocksDbRaftLogStore"/> on a real RocksDB in a temp directory.</summary>
public sealed class RocksDbRaftLogStoreUnderTest : IDurableRaftLogStoreUnderTest
{
    private readonly string directory = Directory.CreateTempSubdirectory("litekube-raftlog-").FullName;
    private RocksDbEngine? engine;

    private RocksDbEngine Engine => engine ??= RocksDbEngine.Open(directory);

    public IRaftLogStore CreateEmpty() => RocksDbRaftLogStore.Open(Engine);

    public IRaftLogStore Bootstrap(ConfState initial) => RocksDbRaftLogStore.Bootstrap(Engine, initial);

    public IRaftLogStore Reopen()
    {
        engine?.Dispose();
        engine = null;
        return RocksDbRaftLogStore.Open(Engine);
    }

    public void Damage(Action<IStorageBatch> write)
    {
        using var batch = Engine.CreateBatch();
        write(batch);
        Engine.Write(batch, sync: true);
    }

    public void Dispose()
    {
        engine?.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary><see cref="RocksDbRaftLogStore"/> over the in-memory engine: the same code without a
/// disk, reopened by loading the engine's columns again.</summary>
public sealed class InMemoryEngineRaftLogStoreUnderTest : IDurableRaftLogStoreUnderTest
{
    private readonly InMemoryEngine engine = new();

    public IRaftLogStore CreateEmpty() => RocksDbRaftLogStore.Open(engine);

    public IRaftLogStore Bootstrap(ConfState initial) => RocksDbRaftLogStore.Bootstrap(engine, initial);

    public IRaftLogStore Reopen() => RocksDbRaftLogStore.Open(engine);

    public void Damage(Action<IStorageBatch> write)
    {
        using var batch = engine.CreateBatch();
        write(batch);
        engine.Write(batch, sync: true);
    }

    public void Dispose() => engine.Dispose();
}

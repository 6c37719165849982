using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>The in-memory <see cref="LocalStore"/>: every open starts empty.</summary>
public sealed class InMemoryStoreUnderTest : IStoreUnderTest
{
    public Task<IKeyValueStore> OpenAsync(TimeProvider time, TimeSpan progressNotifyInterval) =>
        Task.FromResult<IKeyValueStore>(LocalStore.CreateInMemory(
            new LocalStoreOptions { Time = time, ProgressNotifyInterval = progressNotifyInterval }));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The RocksDB <see cref="LocalStore"/> in a temporary directory deleted afterwards.</summary>
public sealed class RocksDbStoreUnderTest : IDurableStoreUnderTest
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("litekube-contract-");

    public Task<IKeyValueStore> OpenAsync(TimeProvider time, TimeSpan progressNotifyInterval) =>
        Task.FromResult<IKeyValueStore>(LocalStore.OpenRocksDb(
            Path.Combine(_directory.FullName, "db"),
            new LocalStoreOptions { Time = time, ProgressNotifyInterval = progressNotifyInterval }));

    public ValueTask DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

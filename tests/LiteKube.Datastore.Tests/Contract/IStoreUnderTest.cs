using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>
/// The seam between the contract suite and one <see cref="IKeyValueStore"/> implementation.
/// xunit makes one instance per test (through <c>new()</c>); disposing it removes whatever the
/// implementation left behind, such as a temporary directory.
/// </summary>
public interface IStoreUnderTest : IAsyncDisposable
{
    /// <summary>Opens the store. The first call creates it empty; for durable stores a later
    /// call (after the previous instance was disposed) reopens the same data.</summary>
    /// <param name="time">Drives lease expiry and progress notifications.</param>
    /// <param name="progressNotifyInterval">Quiet period after which a watch with
    /// <see cref="WatchRequest.ProgressNotify"/> gets an empty batch.</param>
    Task<IKeyValueStore> OpenAsync(TimeProvider time, TimeSpan progressNotifyInterval);
}

/// <summary>Marks an implementation whose data survives dispose and reopen
/// (the durability contract runs only against these).</summary>
public interface IDurableStoreUnderTest : IStoreUnderTest;

using LiteKube.Datastore.External;
using LiteKube.Datastore.Tests.Contract;

namespace LiteKube.Datastore.Tests.External;

/// <summary>
/// An <see cref="ExternalStore"/> over a fresh real etcd cluster per test (the contract expects
/// an empty store at revision 1, and etcd's revision cannot be reset). A reopen is a new client
/// after a kill -9 of every member and a restart over the same data directories.
/// </summary>
/// <remarks>etcd keeps its own clock: the contract's fake clock cannot move its lease TTLs or
/// progress timers, so the tests that need that are marked for stores with a wall clock; and
/// Debian's etcd is 3.4.23, before the fix of etcd-io/etcd#15220.</remarks>
public abstract class EtcdStoreUnderTest(int members) : IDurableStoreUnderTest, IWallClockStoreUnderTest, IEtcd34ProgressStoreUnderTest
{
    private EtcdCluster? cluster;

    public EtcdCluster Cluster => cluster ?? throw new InvalidOperationException("the store has not been opened");

    public async Task<IKeyValueStore> OpenAsync(TimeProvider time, TimeSpan progressNotifyInterval)
    {
        if (cluster is null)
        {
            // Every contract test gets a new cluster: tmpfs and short ticks keep that cheap. A
            // single member cannot lose its leadership, so it can tick fastest; three members
            // keep enough margin that a busy machine does not trigger elections mid-test.
            var heartbeat = TimeSpan.FromMilliseconds(members == 1 ? 20 : 50);
            cluster = await EtcdCluster.StartAsync(members, heartbeat: heartbeat, electionTimeout: heartbeat * 10, inMemory: true);
        }
        else
        {
            await cluster.RestartAllAsync();
        }
        // As the host does at startup: the first answer also fixes what "now" means for watches.
        var store = ExternalStore.Create(cluster.StoreOptions());
        await store.WaitUntilReachableAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}

public sealed class SingleEtcdStoreUnderTest() : EtcdStoreUnderTest(1);

public sealed class ThreeEtcdStoreUnderTest() : EtcdStoreUnderTest(3);

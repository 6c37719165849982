namespace LiteKube.Datastore.Tests.Faults;

/// <summary>One cluster shared by the fault tests of a test class, which xunit runs one after another.</summary>
public abstract class FaultClusterFixture<TCluster>(Func<Task<TCluster>> start) : IAsyncLifetime where TCluster : class, IFaultCluster
{
    public TCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await start();

    public async Task DisposeAsync()
    {
        // Null when the start failed: the test reports that failure, not this one.
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>A 3-member etcd (real processes, TLS, each member in its own cgroup).</summary>
public sealed class EtcdFaultClusterFixture() : FaultClusterFixture<EtcdFaultCluster>(() => EtcdFaultCluster.StartAsync());

/// <summary>Three published <c>litekube server</c> processes, each in its own cgroup.</summary>
public sealed class LiteKubeFaultClusterFixture() : FaultClusterFixture<LiteKubeFaultCluster>(() => LiteKubeFaultCluster.StartAsync());

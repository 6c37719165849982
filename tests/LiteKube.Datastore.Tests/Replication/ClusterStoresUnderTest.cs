using LiteKube.Datastore.Tests.Contract;

namespace LiteKube.Datastore.Tests.Replication;

/// <summary>A follower of a three-member replicated cluster: its writes are forwarded to the
/// leader, its reads wait for a ReadIndex round, its watches see what it applies.</summary>
public sealed class ThreeMemberStoreUnderTest : IStoreUnderTest
{
    private ReplicatedCluster? _cluster;

    public async Task<IKeyValueStore> OpenAsync(TimeProvider time, TimeSpan progressNotifyInterval)
    {
        _cluster = await ReplicatedCluster.StartAsync(3, time, progressNotifyInterval);
        return _cluster.Member(2);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>The contract suite against a follower of a three-member replicated store.</summary>
public static class ThreeMemberContractTests
{
    public sealed class Revisions : RevisionContract<ThreeMemberStoreUnderTest>;
    public sealed class Ranges : RangeContract<ThreeMemberStoreUnderTest>;
    public sealed class RangeOptions : RangeOptionsContract<ThreeMemberStoreUnderTest>;
    public sealed class Puts : PutContract<ThreeMemberStoreUnderTest>;
    public sealed class DeleteRanges : DeleteRangeContract<ThreeMemberStoreUnderTest>;
    public sealed class TxnCompares : TxnCompareContract<ThreeMemberStoreUnderTest>;
    public sealed class Txns : TxnContract<ThreeMemberStoreUnderTest>;
    public sealed class Watches : WatchContract<ThreeMemberStoreUnderTest>;
    public sealed class WatchDelivery : WatchDeliveryContract<ThreeMemberStoreUnderTest>;
    public sealed class WatchProgress : WatchProgressContract<ThreeMemberStoreUnderTest>;
    public sealed class Leases : LeaseContract<ThreeMemberStoreUnderTest>;
    public sealed class LeaseExpiry : LeaseExpiryContract<ThreeMemberStoreUnderTest>;
    public sealed class Compaction : CompactionContract<ThreeMemberStoreUnderTest>;
    public sealed class Concurrency : ConcurrencyContract<ThreeMemberStoreUnderTest>;
    public sealed class Limits : LimitsContract<ThreeMemberStoreUnderTest>;
}

using LiteKube.Datastore.Tests.Contract;

namespace LiteKube.Datastore.Tests.External;

/// <summary>The whole contract suite against the external store over one real etcd member (TLS).
/// LeaseExpiry is left out: every test in it moves the fake clock past a TTL, and etcd's
/// lease clock is its own wall clock.</summary>
public static class SingleEtcdContractTests
{
    public sealed class Revisions : RevisionContract<SingleEtcdStoreUnderTest>;
    public sealed class Ranges : RangeContract<SingleEtcdStoreUnderTest>;
    public sealed class RangeOptions : RangeOptionsContract<SingleEtcdStoreUnderTest>;
    public sealed class Puts : PutContract<SingleEtcdStoreUnderTest>;
    public sealed class DeleteRanges : DeleteRangeContract<SingleEtcdStoreUnderTest>;
    public sealed class TxnCompares : TxnCompareContract<SingleEtcdStoreUnderTest>;
    public sealed class Txns : TxnContract<SingleEtcdStoreUnderTest>;
    public sealed class Watches : WatchContract<SingleEtcdStoreUnderTest>;
    public sealed class WatchDelivery : WatchDeliveryContract<SingleEtcdStoreUnderTest>;
    public sealed class WatchProgress : WatchProgressContract<SingleEtcdStoreUnderTest>;
    public sealed class Leases : LeaseContract<SingleEtcdStoreUnderTest>;
    public sealed class Compaction : CompactionContract<SingleEtcdStoreUnderTest>;
    public sealed class Concurrency : ConcurrencyContract<SingleEtcdStoreUnderTest>;
    public sealed class Limits : LimitsContract<SingleEtcdStoreUnderTest>;
    public sealed class Durability : DurabilityContract<SingleEtcdStoreUnderTest>;
}

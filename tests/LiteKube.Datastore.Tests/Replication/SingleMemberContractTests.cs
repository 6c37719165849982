using LiteKube.Datastore.Tests.Contract;

namespace LiteKube.Datastore.Tests.Replication;

/// <summary>The contract suite against a one-voter replicated store.</summary>
public static class SingleMemberContractTests
{
    public sealed class Revisions : RevisionContract<SingleMemberStoreUnderTest>;
    public sealed class Ranges : RangeContract<SingleMemberStoreUnderTest>;
    public sealed class RangeOptions : RangeOptionsContract<SingleMemberStoreUnderTest>;
    public sealed class Puts : PutContract<SingleMemberStoreUnderTest>;
    public sealed class DeleteRanges : DeleteRangeContract<SingleMemberStoreUnderTest>;
    public sealed class TxnCompares : TxnCompareContract<SingleMemberStoreUnderTest>;
    public sealed class Txns : TxnContract<SingleMemberStoreUnderTest>;
    public sealed class Watches : WatchContract<SingleMemberStoreUnderTest>;
    public sealed class WatchDelivery : WatchDeliveryContract<SingleMemberStoreUnderTest>;
    public sealed class WatchProgress : WatchProgressContract<SingleMemberStoreUnderTest>;
    public sealed class Leases : LeaseContract<SingleMemberStoreUnderTest>;
    public sealed class LeaseExpiry : LeaseExpiryContract<SingleMemberStoreUnderTest>;
    public sealed class Compaction : CompactionContract<SingleMemberStoreUnderTest>;
    public sealed class Concurrency : ConcurrencyContract<SingleMemberStoreUnderTest>;
    public sealed class Limits : LimitsContract<SingleMemberStoreUnderTest>;
    public sealed class Durability : DurabilityContract<DurableSingleMemberStoreUnderTest>;
}

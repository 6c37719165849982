namespace LiteKube.Datastore.Tests.Contract;

/// <summary>The contract suite against the in-memory LocalStore.</summary>
public static class InMemoryStoreContractTests
{
    public sealed class Revisions : RevisionContract<InMemoryStoreUnderTest>;
    public sealed class Ranges : RangeContract<InMemoryStoreUnderTest>;
    public sealed class RangeOptions : RangeOptionsContract<InMemoryStoreUnderTest>;
    public sealed class Puts : PutContract<InMemoryStoreUnderTest>;
    public sealed class DeleteRanges : DeleteRangeContract<InMemoryStoreUnderTest>;
    public sealed class TxnCompares : TxnCompareContract<InMemoryStoreUnderTest>;
    public sealed class Txns : TxnContract<InMemoryStoreUnderTest>;
    public sealed class Watches : WatchContract<InMemoryStoreUnderTest>;
    public sealed class WatchDelivery : WatchDeliveryContract<InMemoryStoreUnderTest>;
    public sealed class WatchProgress : WatchProgressContract<InMemoryStoreUnderTest>;
    public sealed class Leases : LeaseContract<InMemoryStoreUnderTest>;
    public sealed class LeaseExpiry : LeaseExpiryContract<InMemoryStoreUnderTest>;
    public sealed class Compaction : CompactionContract<InMemoryStoreUnderTest>;
    public sealed class Concurrency : ConcurrencyContract<InMemoryStoreUnderTest>;
    public sealed class Limits : LimitsContract<InMemoryStoreUnderTest>;
}

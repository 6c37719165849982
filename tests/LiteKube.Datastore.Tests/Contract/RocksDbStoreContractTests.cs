namespace LiteKube.Datastore.Tests.Contract;

/// <summary>The contract suite against the RocksDB LocalStore, plus durability across reopen.</summary>
public static class RocksDbStoreContractTests
{
    public sealed class Revisions : RevisionContract<RocksDbStoreUnderTest>;
    public sealed class Ranges : RangeContract<RocksDbStoreUnderTest>;
    public sealed class RangeOptions : RangeOptionsContract<RocksDbStoreUnderTest>;
    public sealed class Puts : PutContract<RocksDbStoreUnderTest>;
    public sealed class DeleteRanges : DeleteRangeContract<RocksDbStoreUnderTest>;
    public sealed class TxnCompares : TxnCompareContract<RocksDbStoreUnderTest>;
    public sealed class Txns : TxnContract<RocksDbStoreUnderTest>;
    public sealed class Watches : WatchContract<RocksDbStoreUnderTest>;
    public sealed class WatchDelivery : WatchDeliveryContract<RocksDbStoreUnderTest>;
    public sealed class WatchProgress : WatchProgressContract<RocksDbStoreUnderTest>;
    public sealed class Leases : LeaseContract<RocksDbStoreUnderTest>;
    public sealed class LeaseExpiry : LeaseExpiryContract<RocksDbStoreUnderTest>;
    public sealed class Compaction : CompactionContract<RocksDbStoreUnderTest>;
    public sealed class Concurrency : ConcurrencyContract<RocksDbStoreUnderTest>;
    public sealed class Limits : LimitsContract<RocksDbStoreUnderTest>;
    public sealed class Durability : DurabilityContract<RocksDbStoreUnderTest>;
}

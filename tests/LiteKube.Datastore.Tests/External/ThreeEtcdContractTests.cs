using LiteKube.Datastore.Tests.Contract;

namespace LiteKube.Datastore.Tests.External;

/// <summary>
/// The contract suite against the external store over a real 3-member etcd cluster (TLS).
/// Each test starts its own cluster, so this runs the parts where replication can change an
/// answer: revisions, txns, watch delivery, leases, compaction, concurrent clients, and
/// durability (every "reopen" is a kill -9 of all three members and a restart). Ranges, puts,
/// deletes and limits are answered by the same etcd code whatever the member count and run
/// against the single member (<see cref="SingleEtcdContractTests"/>); LeaseExpiry cannot run
/// against etcd's wall clock.
/// </summary>
public static class ThreeEtcdContractTests
{
    public sealed class Revisions : RevisionContract<ThreeEtcdStoreUnderTest>;
    public sealed class Txns : TxnContract<ThreeEtcdStoreUnderTest>;
    public sealed class Watches : WatchContract<ThreeEtcdStoreUnderTest>;
    public sealed class WatchDelivery : WatchDeliveryContract<ThreeEtcdStoreUnderTest>;
    public sealed class WatchProgress : WatchProgressContract<ThreeEtcdStoreUnderTest>;
    public sealed class Leases : LeaseContract<ThreeEtcdStoreUnderTest>;
    public sealed class Compaction : CompactionContract<ThreeEtcdStoreUnderTest>;
    public sealed class Concurrency : ConcurrencyContract<ThreeEtcdStoreUnderTest>;
    public sealed class Durability : DurabilityContract<ThreeEtcdStoreUnderTest>;
}

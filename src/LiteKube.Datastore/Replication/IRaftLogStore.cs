using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication;

/// <summary>
/// The Raft log on disk: what Raft reads (<see cref="IRaftStorage"/>) plus the writes the
/// replication host makes while it processes a <see cref="Ready"/>. One contract suite runs over
/// every implementation (in memory for simulations, RocksDB for servers).
/// </summary>
/// <remarks>
/// Not thread-safe: the host's loop is the only caller. Writes are atomic: after a crash the
/// store holds either all of a <see cref="Save"/> or none of it, and everything saved with
/// <c>sync: true</c> survives a power loss once the call returns.
/// </remarks>
public interface IRaftLogStore : IRaftStorage, IDisposable
{
    /// <summary>
    /// Persists one Ready: <paramref name="snapshot"/> first (it replaces the whole log), then
    /// <paramref name="entries"/> (replacing any stored entries at the same or later indexes;
    /// entries the snapshot already covers are ignored), then <paramref name="hardState"/>
    /// (null: unchanged).
    /// </summary>
    void Save(HardState? hardState, IReadOnlyList<Entry> entries, Snapshot? snapshot, bool sync);

    /// <summary>Records a snapshot of the host's state machine at <paramref name="index"/>
    /// (at most what the state machine has made durable, newer than the current snapshot)
    /// without dropping entries.</summary>
    Snapshot CreateSnapshot(ulong index, ConfState confState, byte[] data);

    /// <summary>Drops entries up to and including <paramref name="index"/>, which the latest
    /// snapshot must cover. Compacting at or below the first index does nothing.</summary>
    void Compact(ulong index);
}

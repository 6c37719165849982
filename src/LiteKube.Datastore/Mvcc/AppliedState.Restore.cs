namespace LiteKube.Datastore.Mvcc;

// A replicated member that fell too far behind receives the leader's whole store instead of log entries.
public sealed partial class AppliedState
{
    /// <summary>
    /// Replaces the whole state with a snapshot (<see cref="SnapshotFormat"/>) on the applying
    /// thread. A damaged snapshot fails with InvalidArgument and changes nothing. Watchers
    /// replay what the new state holds beyond what they had seen.
    /// </summary>
    public void Restore(Stream snapshot)
    {
        // The compactor must not delete from the new data with the old data's compact revision.
        _compactLock.Wait();
        try
        {
            try
            {
                SnapshotFormat.ReplaceAll(snapshot, _engine);
            }
            catch (Exception e) when (e is not DatastoreException)
            {
                _failure ??= e;
                throw Unavailable();
            }

            Machine.Load();
            _groupEvents.Clear();
            _groupRevision = Machine.Revision;
            _groupCompact = Machine.CompactRevision;
            Volatile.Write(ref _compactRevision, Machine.CompactRevision);
            _hub.Restored(Machine.Revision);
        }
        finally
        {
            _compactLock.Release();
        }

        if (Machine.CompactFinished < Machine.CompactRevision)
        {
            _compactSignal.Release();
        }
    }
}

namespace LiteKube.Datastore.Mvcc;

public sealed partial class AppliedState
{
    private readonly SemaphoreSlim _compactSignal = new(0);
    private readonly Task _compactor;
    // Held while compacting or restoring: the two must not interleave.
    private readonly SemaphoreSlim _compactLock = new(1);

    /// <summary>Removes compacted versions from disk, in the background, after each compaction.</summary>
    private async Task CompactLoopAsync()
    {
        while (true)
        {
            await _compactSignal.WaitAsync().ConfigureAwait(false);
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var target = Volatile.Read(ref _compactRevision);
            if (target <= Machine.CompactFinished)
            {
                continue;
            }

            await _compactLock.WaitAsync().ConfigureAwait(false);
            try
            {
                // Read again under the lock: a restore may have replaced the data meanwhile.
                target = Volatile.Read(ref _compactRevision);
                if (target > Machine.CompactFinished)
                {
                    Compactor.Run(_engine, target, _stopping.Token);
                    Machine.MarkCompactFinished(target);
                }
            }
            catch (OperationCanceledException)
            {
                // Resumed at the next start: the scheduled revision is on disk.
                return;
            }
            catch (DatastoreException e)
            {
                _failure ??= e;
                return;
            }
            finally
            {
                _compactLock.Release();
            }
        }
    }
}

using System.Diagnostics;
using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>
/// Collects the invoke/return of every client call with monotonic timestamps
/// (<see cref="Stopwatch.GetTimestamp"/>). Thread-safe.
/// </summary>
/// <remarks>How an exception is read: a <see cref="DatastoreException"/> other than Unavailable is
/// a definite failure (the contract says a failed call changed nothing); Unavailable, timeouts,
/// cancellation and any other exception leave the outcome unknown (return time = never), because
/// a replicated or remote store may have applied the write before the connection broke.</remarks>
public sealed class HistoryRecorder
{
    private readonly List<HistoryEntry<KvOperation>> _entries = [];

    public async Task<T> RecordAsync<T>(int client, KvRequest request, Func<Task<T>> call, Func<T, object> result)
    {
        var invoked = Stopwatch.GetTimestamp();
        try
        {
            var value = await call().ConfigureAwait(false);
            Add(client, invoked, Stopwatch.GetTimestamp(), request, new Returned(result(value)));
            return value;
        }
        catch (DatastoreException e) when (e.Error != DatastoreError.Unavailable)
        {
            Add(client, invoked, Stopwatch.GetTimestamp(), request, new Failed(e.Error));
            throw;
        }
        catch (Exception e)
        {
            Add(client, invoked, HistoryEntry<KvOperation>.Never, request, new Unknown($"{e.GetType().Name}: {e.Message}"));
            throw;
        }
    }

    /// <summary>Every call recorded so far, in the order they completed.</summary>
    public IReadOnlyList<HistoryEntry<KvOperation>> Snapshot()
    {
        lock (_entries)
        {
            return _entries.ToArray();
        }
    }

    private void Add(int client, long invoked, long returned, KvRequest request, KvOutcome outcome)
    {
        lock (_entries)
        {
            _entries.Add(new HistoryEntry<KvOperation>(client, invoked, returned, new KvOperation(request, outcome)));
        }
    }
}

using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;

namespace LiteKube.Datastore.Tests.WatchValidation;

/// <summary>One change a revision made: the key's state after it (null for a delete) and before.</summary>
public sealed record ReferenceEvent(string Key, KeyState? After, KeyState? Before)
{
    public WatchEventType Type => After is null ? WatchEventType.Delete : WatchEventType.Put;
}

/// <summary>
/// What every revision wrote, according to the history: the checker's linearization replayed
/// through the KV model. A watcher must see exactly these events, so the reference does not
/// come from the watch machinery under test.
/// </summary>
public sealed class ReferenceLog
{
    private readonly SortedDictionary<long, Dictionary<string, ReferenceEvent>> _revisions = [];

    private ReferenceLog(long firstRevision) => FirstRevision = firstRevision;

    /// <summary>The first revision the history could have written (initial revision + 1).</summary>
    public long FirstRevision { get; }

    public long LastRevision { get; private set; }

    /// <param name="foreign">Revisions other writers took: they move the revision, but no
    /// event of the history's keys is at them.</param>
    public static ReferenceLog Replay(KvState initial, IEnumerable<KvOperation> linearized, ForeignRevisions? foreign = null)
    {
        foreign ??= ForeignRevisions.None;
        var log = new ReferenceLog(initial.Revision + 1) { LastRevision = initial.Revision };
        var state = initial;
        foreach (var operation in linearized)
        {
            var next = foreign.Evaluate(state, operation).Next;
            if (next.Revision != state.Revision && !foreign.Contains(next.Revision))
            {
                log.Record(state, next);
            }
            state = next;
        }
        return log;
    }

    /// <summary>The events of a revision (empty when no modelled write made it).</summary>
    public IReadOnlyDictionary<string, ReferenceEvent> At(long revision) =>
        _revisions.TryGetValue(revision, out var events) ? events : new Dictionary<string, ReferenceEvent>();

    public IEnumerable<(long Revision, ReferenceEvent Event)> Between(long from, long to) =>
        _revisions.Where(r => r.Key >= from && r.Key <= to).SelectMany(r => r.Value.Values.Select(e => (r.Key, e)));

    private void Record(KvState before, KvState after)
    {
        var events = new Dictionary<string, ReferenceEvent>(StringComparer.Ordinal);
        foreach (var (key, state) in after.Keys)
        {
            if (state.Mod == after.Revision)
            {
                events[key] = new ReferenceEvent(key, state, before.Keys.TryGetValue(key, out var old) ? old : null);
            }
        }
        foreach (var (key, state) in before.Keys)
        {
            if (!after.Keys.ContainsKey(key))
            {
                events[key] = new ReferenceEvent(key, null, state);
            }
        }
        _revisions[after.Revision] = events;
        LastRevision = after.Revision;
    }
}

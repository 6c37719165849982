using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;

namespace LiteKube.Datastore.Tests.WatchValidation;

/// <summary>
/// Checks one watcher's stream against the <see cref="ReferenceLog"/>: events in revision order
/// from the start revision, no revision skipped or repeated, each event equal to what the history
/// wrote at its revision (type, value, create/mod revision, version, lease, and prev_kv when asked
/// for), and no progress notification that claims a revision before its events arrived.
/// </summary>
public static class WatchValidator
{
    /// <param name="mustReach">The watcher must have been complete up to at least this revision
    /// (the last revision the history acknowledged) unless compaction canceled it.</param>
    public static IReadOnlyList<string> Validate(ReferenceLog reference, WatchRecord watch, long mustReach)
    {
        var problems = new List<string>();
        void Problem(string text) => problems.Add($"watch {watch.Name}: {text}");

        var request = watch.Request;
        if (request.StartRevision <= 0)
        {
            throw new ArgumentException("validated watches need an explicit start revision", nameof(watch));
        }
        if (request.StartRevision < reference.FirstRevision)
        {
            throw new ArgumentException($"watch {watch.Name} starts at {request.StartRevision}, before the history's first revision {reference.FirstRevision}", nameof(watch));
        }

        var seen = new HashSet<(long, string)>();
        var gaps = new HashSet<(long, string)>();
        long lastEvent = 0, progressed = request.StartRevision - 1;
        var canceledByCompaction = false;
        foreach (var (_, batch) in watch.Batches)
        {
            if (batch.Canceled)
            {
                canceledByCompaction = batch.CompactRevision > 0;
                if (!canceledByCompaction)
                {
                    Problem($"canceled: {batch.CancelReason}");
                }
                break;
            }
            if (batch.Events.Count == 0)
            {
                // A progress notification: everything up to its revision must have arrived already.
                CheckComplete(Math.Max(lastEvent, progressed + 1), batch.Revision, $"before the progress notification at {batch.Revision}");
                progressed = Math.Max(progressed, batch.Revision);
                continue;
            }
            foreach (var e in batch.Events)
            {
                var revision = e.Kv.ModRevision;
                var key = KvText.Bytes(e.Kv.Key);
                if (revision < request.StartRevision)
                {
                    Problem($"event at revision {revision} is before the start revision {request.StartRevision}");
                }
                if (revision < lastEvent || !seen.Add((revision, key)))
                {
                    Problem($"event {Describe(e)} arrived after revision {lastEvent} (out of order or duplicate)");
                }
                if (revision <= progressed && revision >= request.StartRevision)
                {
                    Problem($"event {Describe(e)} arrived after a progress notification at {progressed}");
                }
                if (revision > lastEvent)
                {
                    CheckComplete(Math.Max(lastEvent, progressed + 1), revision - 1, $"before the event at {revision}");
                }
                lastEvent = Math.Max(lastEvent, revision);
                CheckEvent(e, key, revision);
            }
            if (batch.Revision < batch.Events[^1].Kv.ModRevision)
            {
                Problem($"batch revision {batch.Revision} is below its last event's {batch.Events[^1].Kv.ModRevision}");
            }
        }

        var reached = Math.Max(lastEvent, progressed);
        if (lastEvent > 0)
        {
            // Events of the last revision the watcher reached must all be there too.
            CheckComplete(lastEvent, lastEvent, "in the last revision it saw");
        }
        if (reached < mustReach && !canceledByCompaction)
        {
            Problem($"stopped at revision {reached}; the history reached {mustReach}");
        }
        return problems;

        void CheckEvent(WatchEvent e, string key, long revision)
        {
            if (!InRange(request, e.Kv.Key)
                || (request.NoPut && e.Type == WatchEventType.Put) || (request.NoDelete && e.Type == WatchEventType.Delete))
            {
                Problem($"event {Describe(e)} is outside the watched range or filtered out");
            }
            if (!reference.At(revision).TryGetValue(key, out var expected))
            {
                Problem($"event {Describe(e)}: the history wrote no such change at revision {revision}");
                return;
            }
            if (e.Type != expected.Type
                || (expected.After is { } after && !Same(e.Kv, key, after)))
            {
                Problem($"event {Describe(e)}: the history wrote {Describe(revision, expected)}");
            }
            if (request.PrevKv && (e.PrevKv is null) != (expected.Before is null))
            {
                Problem($"event {Describe(e)}: prev_kv {(e.PrevKv is null ? "missing" : "present")}, the key {(expected.Before is null ? "did not exist" : "existed")} before");
            }
            else if (request.PrevKv && e.PrevKv is { } prev && expected.Before is { } before && !Same(prev, key, before))
            {
                Problem($"event {Describe(e)}: prev_kv {KvText.Kv(prev)}, but before it was {KvText.Kv(key, before)}");
            }
        }

        void CheckComplete(long from, long to, string when)
        {
            foreach (var (revision, expected) in reference.Between(Math.Max(from, request.StartRevision), to))
            {
                if (Wanted(request, expected) && !seen.Contains((revision, expected.Key)) && gaps.Add((revision, expected.Key)))
                {
                    Problem($"gap: never saw {Describe(revision, expected)} {when}");
                }
            }
        }
    }

    private static bool Wanted(WatchRequest request, ReferenceEvent e) =>
        InRange(request, KvText.Raw(e.Key))
        && !(request.NoPut && e.Type == WatchEventType.Put)
        && !(request.NoDelete && e.Type == WatchEventType.Delete);

    private static bool InRange(WatchRequest request, byte[] key)
    {
        var single = new Dictionary<string, KeyState> { [KvText.Bytes(key)] = default };
        return KvSemantics.KeysIn(single, request.Key, request.RangeEnd).Any();
    }

    private static bool Same(KeyValue kv, string key, KeyState state) =>
        KvText.Bytes(kv.Key) == key && KvText.Bytes(kv.Value) == state.Value && kv.CreateRevision == state.Create
        && kv.ModRevision == state.Mod && kv.Version == state.Version && kv.Lease == state.Lease;

    private static string Describe(WatchEvent e) =>
        e.Type == WatchEventType.Put ? $"put {KvText.Kv(e.Kv)}" : $"delete {KvText.Key(e.Kv.Key)} at {e.Kv.ModRevision}";

    private static string Describe(long revision, ReferenceEvent e) =>
        e.After is { } after ? $"put {KvText.Kv(e.Key, after)}" : $"delete {KvText.Key(e.Key)} at {revision}";
}

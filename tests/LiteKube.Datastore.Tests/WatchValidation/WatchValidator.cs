using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;

namespace LiteKube.Datastore.Tests.WatchValidation;

public enum ProgressTrust
{
    /// <summary>A progress notification at R means every event up to R has been delivered.</summary>
    Strict,
    /// <summary>etcd before 3.4.25 / 3.5.8 answers a requested progress notification with the
    /// store's revision even while the watcher is still catching up (etcd-io/etcd#15220; Debian
    /// ships 3.4.23; the fault runs see it after a watch moves to another member). Progress
    /// notifications then prove nothing: they are counted when events they claimed arrive later,
    /// and completeness is checked from the events alone.</summary>
    EtcdIssue15220,
}

/// <summary>
/// Checks one watcher's stream against the <see cref="ReferenceLog"/>: events in revision order
/// from the start revision, no revision skipped or repeated, each event equal to what the history
/// wrote at its revision (type, value, create/mod revision, version, lease, and prev_kv when asked
/// for), and no progress notification that claims a revision before its events arrived.
/// </summary>
/// <remarks>
/// Beyond the history's last revision the reference is a guess: a write whose outcome is unknown
/// may land there or never, and the revisions other writers take there are not recorded, so the
/// checker's linearization may put the write at a revision a foreign write took. Events there are
/// checked for order, duplicates and range; their content and completeness only up to
/// <c>mustReach</c>.
/// </remarks>
public static class WatchValidator
{
    /// <param name="mustReach">The watcher must have been complete up to at least this revision
    /// (the last revision the history acknowledged) unless compaction canceled it.</param>
    /// <param name="progress">How far a progress notification is trusted.</param>
    public static WatchVerdict Validate(ReferenceLog reference, WatchRecord watch, long mustReach, ProgressTrust progress = ProgressTrust.Strict)
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
        long lastEvent = 0, progressed = request.StartRevision - 1, untrusted = 0;
        var early = 0;
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
                if (progress == ProgressTrust.Strict)
                {
                    CheckComplete(Math.Max(lastEvent, progressed + 1), Math.Min(batch.Revision, mustReach), $"before the progress notification at {batch.Revision}");
                    progressed = Math.Max(progressed, batch.Revision);
                }
                untrusted = Math.Max(untrusted, batch.Revision);
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
                    Problem($"event {KvText.Event(e)} arrived after revision {lastEvent} (out of order or duplicate)");
                }
                if (revision <= untrusted && revision > progressed)
                {
                    early++;
                }
                if (revision <= progressed && revision >= request.StartRevision)
                {
                    Problem($"event {KvText.Event(e)} arrived after a progress notification at {progressed}");
                }
                if (revision > lastEvent)
                {
                    CheckComplete(Math.Max(lastEvent, progressed + 1), Math.Min(revision - 1, mustReach), $"before the event at {revision}");
                }
                lastEvent = Math.Max(lastEvent, revision);
                CheckRange(e);
                if (revision <= mustReach)
                {
                    CheckEvent(e, key, revision);
                }
            }
            if (batch.Revision < batch.Events[^1].Kv.ModRevision)
            {
                Problem($"batch revision {batch.Revision} is below its last event's {batch.Events[^1].Kv.ModRevision}");
            }
        }

        var reached = Math.Max(lastEvent, progressed);
        if (!canceledByCompaction)
        {
            // By the end every event up to the last acknowledged revision must have arrived.
            CheckComplete(request.StartRevision, mustReach, "by the end");
        }
        if (progress == ProgressTrust.Strict && reached < mustReach && !canceledByCompaction)
        {
            Problem($"stopped at revision {reached}; the history reached {mustReach}");
        }
        return new WatchVerdict(problems, early);

        void CheckRange(WatchEvent e)
        {
            if (!InRange(request, e.Kv.Key)
                || (request.NoPut && e.Type == WatchEventType.Put) || (request.NoDelete && e.Type == WatchEventType.Delete))
            {
                Problem($"event {KvText.Event(e)} is outside the watched range or filtered out");
            }
        }

        void CheckEvent(WatchEvent e, string key, long revision)
        {
            if (!reference.At(revision).TryGetValue(key, out var expected))
            {
                Problem($"event {KvText.Event(e)}: the history wrote no such change at revision {revision}");
                return;
            }
            if (e.Type != expected.Type
                || (expected.After is { } after && !Same(e.Kv, key, after)))
            {
                Problem($"event {KvText.Event(e)}: the history wrote {Describe(revision, expected)}");
            }
            if (request.PrevKv && (e.PrevKv is null) != (expected.Before is null))
            {
                Problem($"event {KvText.Event(e)}: prev_kv {(e.PrevKv is null ? "missing" : "present")}, the key {(expected.Before is null ? "did not exist" : "existed")} before");
            }
            else if (request.PrevKv && e.PrevKv is { } prev && expected.Before is { } before && !Same(prev, key, before))
            {
                Problem($"event {KvText.Event(e)}: prev_kv {KvText.Kv(prev)}, but before it was {KvText.Kv(key, before)}");
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

    /// <summary>Problems found, and how many events arrived after a progress notification that
    /// already claimed their revision (reported as problems under <see cref="ProgressTrust.Strict"/>).</summary>
    public sealed record WatchVerdict(IReadOnlyList<string> Problems, int EarlyProgressNotifications);

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

    private static string Describe(long revision, ReferenceEvent e) =>
        e.After is { } after ? $"put {KvText.Kv(e.Key, after)}" : $"delete {KvText.Key(e.Key)} at {revision}";
}

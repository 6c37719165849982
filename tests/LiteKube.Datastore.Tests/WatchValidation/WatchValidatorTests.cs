using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;
using static LiteKube.Datastore.Tests.Linearizability.HistoryBuilder;

namespace LiteKube.Datastore.Tests.WatchValidation;

/// <summary>The validator on handcrafted streams over one history: revision 2 puts a=1, 3 puts
/// b=1, 4 puts a=2, 5 deletes a.</summary>
public sealed class WatchValidatorTests
{
    private static readonly ReferenceLog Reference = ReferenceLog.Replay(KvState.Empty(),
    [
        new KvOperation(PutOf("a", "1", 0), new Unknown("")),
        new KvOperation(PutOf("b", "1", 0), new Unknown("")),
        new KvOperation(PutOf("a", "2", 0), new Unknown("")),
        new KvOperation(new DeleteCall(new DeleteRangeRequest(B("a"))), new Unknown("")),
    ]);

    private static readonly WatchEvent A1 = Put("a", "1", 2, 2, 1);
    private static readonly WatchEvent B1 = Put("b", "1", 3, 3, 1);
    private static readonly WatchEvent A2 = Put("a", "2", 2, 4, 2);
    private static readonly WatchEvent DelA = new(WatchEventType.Delete, new KeyValue(B("a"), [], 0, 5, 0, 0), null);

    [Fact]
    public void A_complete_stream_in_order_passes()
    {
        Assert.Empty(Validate(Everything(), Batch(3, A1, B1), Batch(4, A2), Batch(5, DelA)));
    }

    [Fact]
    public void A_watch_on_one_key_needs_only_that_keys_events_and_a_progress_notification_to_finish()
    {
        var watch = new WatchRecord("b", new WatchRequest(B("b")) { StartRevision = 2 });

        Assert.Empty(Validate(watch, Batch(3, B1), Progress(5)));
    }

    [Fact]
    public void A_skipped_revision_is_a_gap()
    {
        var problems = Validate(Everything(), Batch(2, A1), Batch(4, A2), Batch(5, DelA));

        Assert.Contains(problems, p => p.Contains("gap: never saw put b=1 (create 3, mod 3, v1) before the event at 4"));
    }

    [Fact]
    public void A_repeated_event_is_reported()
    {
        var problems = Validate(Everything(), Batch(3, A1, B1), Batch(3, B1), Batch(5, A2, DelA));

        Assert.Contains(problems, p => p.Contains("put b=1 (create 3, mod 3, v1) arrived after revision 3 (out of order or duplicate)"));
    }

    [Fact]
    public void Events_out_of_revision_order_are_reported()
    {
        var problems = Validate(Everything(), Batch(2, A1), Batch(4, A2), Batch(4, B1), Batch(5, DelA));

        Assert.Contains(problems, p => p.Contains("out of order"));
    }

    [Fact]
    public void An_event_with_a_value_the_history_did_not_write_at_that_revision_is_reported()
    {
        var problems = Validate(Everything(), Batch(3, A1, B1), Batch(4, Put("a", "stale", 2, 4, 2)), Batch(5, DelA));

        Assert.Contains(problems, p => p.Contains("the history wrote put a=2 (create 2, mod 4, v2)"));
    }

    [Fact]
    public void A_progress_notification_ahead_of_the_events_is_reported()
    {
        var problems = Validate(Everything(), Batch(2, A1), Progress(3), Batch(3, B1), Batch(5, A2, DelA));

        Assert.Contains(problems, p => p.Contains("gap: never saw put b=1 (create 3, mod 3, v1) before the progress notification at 3"));
        Assert.Contains(problems, p => p.Contains("arrived after a progress notification at 3"));
    }

    [Fact]
    public void Under_etcd_issue_15220_events_after_a_progress_notification_that_claimed_them_are_counted_not_reported()
    {
        var verdict = Verdict(Everything(), ProgressTrust.EtcdIssue15220, Batch(2, A1), Progress(4), Batch(3, B1), Batch(4, A2), Batch(5, DelA));

        Assert.Empty(verdict.Problems);
        Assert.Equal(2, verdict.EarlyProgressNotifications);
    }

    [Fact]
    public void Under_etcd_issue_15220_a_gap_is_still_reported()
    {
        var verdict = Verdict(Everything(), ProgressTrust.EtcdIssue15220, Batch(2, A1), Progress(4), Batch(4, A2), Batch(5, DelA));

        Assert.Contains(verdict.Problems, p => p.Contains("gap: never saw put b=1 (create 3, mod 3, v1) before the event at 4"));
    }

    [Fact]
    public void Under_etcd_issue_15220_a_progress_notification_does_not_stand_in_for_missing_events()
    {
        var verdict = Verdict(Everything(), ProgressTrust.EtcdIssue15220, Batch(3, A1, B1), Progress(5), Progress(5));

        Assert.Contains(verdict.Problems, p => p.Contains("gap: never saw put a=2 (create 2, mod 4, v2) by the end"));
        Assert.Contains(verdict.Problems, p => p.Contains("gap: never saw delete a at 5 by the end"));
    }

    [Fact]
    public void A_wrong_prev_kv_is_reported()
    {
        var watch = new WatchRecord("prev", new WatchRequest(B("a")) { StartRevision = 4, PrevKv = true });
        var wrongPrev = A2 with { PrevKv = Put("a", "0", 2, 2, 1).Kv };

        var problems = Validate(watch, Batch(4, wrongPrev), Batch(5, DelA with { PrevKv = A2.Kv }));

        Assert.Single(problems);
        Assert.Contains("prev_kv a=0 (create 2, mod 2, v1), but before it was a=1 (create 2, mod 2, v1)", problems[0]);
    }

    [Fact]
    public void A_watcher_that_stops_before_the_last_revision_is_reported()
    {
        var problems = Validate(Everything(), Batch(3, A1, B1));

        Assert.Contains(problems, p => p.Contains("stopped at revision 3; the history reached 5"));
    }

    [Fact]
    public void Past_the_history_s_last_revision_only_order_and_range_are_checked()
    {
        // The history acknowledged up to 4; the delete at 5 had an unknown outcome, so the
        // linearization's placing of it is a guess (a foreign write may have taken 5 instead).
        var verdict = Verdict(Everything(), ProgressTrust.Strict, mustReach: 4,
            Batch(3, A1, B1), Batch(4, A2), Progress(5), Batch(6, Put("c", "x", 6, 6, 1)));

        Assert.Empty(verdict.Problems);
    }

    [Fact]
    public void Past_the_history_s_last_revision_an_event_after_a_progress_notification_that_claimed_it_is_still_reported()
    {
        var verdict = Verdict(Everything(), ProgressTrust.Strict, mustReach: 4,
            Batch(3, A1, B1), Batch(4, A2), Progress(6), Batch(6, Put("c", "x", 6, 6, 1)));

        Assert.Contains(verdict.Problems, p => p.Contains("arrived after a progress notification at 6"));
    }

    [Fact]
    public void A_cancellation_that_is_not_compaction_is_reported()
    {
        var problems = Validate(Everything(), Batch(3, A1, B1), new WatchBatch(3, []) { Canceled = true, CancelReason = "server going away" });

        Assert.Contains(problems, p => p.Contains("canceled: server going away"));
    }

    private static WatchRecord Everything() => new("all", new WatchRequest(B("\0"), B("\0")) { StartRevision = 2 });

    private static IReadOnlyList<string> Validate(WatchRecord watch, params WatchBatch[] batches) =>
        Verdict(watch, ProgressTrust.Strict, batches).Problems;

    private static WatchValidator.WatchVerdict Verdict(WatchRecord watch, ProgressTrust trust, params WatchBatch[] batches) =>
        Verdict(watch, trust, mustReach: 5, batches);

    private static WatchValidator.WatchVerdict Verdict(WatchRecord watch, ProgressTrust trust, long mustReach, params WatchBatch[] batches)
    {
        for (var i = 0; i < batches.Length; i++)
        {
            watch.Add(i, batches[i]);
        }
        return WatchValidator.Validate(Reference, watch, mustReach, trust);
    }

    private static WatchBatch Batch(long revision, params WatchEvent[] events) => new(revision, events);

    private static WatchBatch Progress(long revision) => new(revision, []);

    private static WatchEvent Put(string key, string value, long create, long mod, long version) =>
        new(WatchEventType.Put, new KeyValue(B(key), B(value), create, mod, version, 0), null);
}

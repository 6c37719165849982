using LiteKube.Datastore;
using static LiteKube.Datastore.Tests.Linearizability.HistoryBuilder;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>The checker on handcrafted histories: each violation kind is caught and explained,
/// and every legal interleaving is accepted.</summary>
public sealed class KvCheckerTests
{
    [Fact]
    public void Sequential_writes_and_reads_with_their_revisions_are_linearizable()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Get(1, 2, 3, "k", 2, ("a", 2, 2, 1))
            .Put(1, 4, 5, "k", "b", revision: 3)
            .Get(2, 6, 7, "k", 3, ("b", 2, 3, 2))
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
        Assert.Equal([0, 1, 2, 3], result.Linearization);
    }

    [Fact]
    public void A_write_with_unknown_outcome_may_take_effect_after_later_writes_where_it_is_no_longer_a_no_op()
    {
        // Seen in fault runs: a delete whose client gave up took effect seconds later. Called while
        // the key did not exist (a no-op there), it deleted the key a later put created.
        var result = new HistoryBuilder()
            .Add(1, 0, HistoryEntry<KvOperation>.Never, new DeleteCall(new DeleteRangeRequest(B("k"))), new Unknown("timeout"))
            .Put(2, 10, 20, "k", "a", revision: 2)
            .Get(3, 30, 40, "k", 3, found: null)
            .UnknownPut(4, 1, "j", "x")
            .Put(2, 50, 60, "k", "b", revision: 4)
            .Get(3, 70, 80, "k", 4, ("b", 4, 4, 1))
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void A_stale_read_after_a_newer_write_returned_is_a_violation_and_the_report_names_it()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Put(1, 2, 3, "k", "b", revision: 3)
            .Get(2, 4, 5, "k", 2, ("a", 2, 2, 1))
            .Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
        Assert.Contains("longest linearizable prefix has 2 operations", result.Explanation);
        Assert.Contains("#2 (client 2) [4 ms .. 5 ms] get k -> rev 2: k=a", result.Explanation);
        Assert.Contains("expected revision 3, observed 2", result.Explanation);
    }

    [Fact]
    public void An_acknowledged_write_that_a_later_read_misses_is_a_violation()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Get(2, 2, 3, "k", 2, found: null)
            .Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
        Assert.Contains("expected 1 keys (k=a (create 2, mod 2, v1)), observed count 0", result.Explanation);
    }

    [Fact]
    public void A_revision_going_backwards_is_a_violation()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Put(1, 2, 3, "j", "b", revision: 3)
            .Get(2, 4, 5, "j", 2, ("b", 3, 3, 1))
            .Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
    }

    [Fact]
    public void Two_writes_acknowledged_with_the_same_revision_are_a_violation()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 10, "k", "a", revision: 2)
            .Put(2, 0, 10, "j", "b", revision: 2)
            .Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
        Assert.Contains("expected revision 3, observed 2", result.Explanation);
    }

    [Fact]
    public void A_txn_whose_compare_saw_the_wrong_value_is_a_violation()
    {
        var txn = new TxnRequest(
            [new Compare(B("k"), CompareTarget.Value, CompareResult.Equal) { Value = B("old") }],
            [new TxnPutOp(new PutRequest(B("k"), B("new")))],
            [new TxnPutOp(new PutRequest(B("k"), B("other")))]);
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "current", revision: 2)
            .Add(2, 2, 3, new TxnCall(txn), new Returned(new TxnResult(3, true, [new PutResult(3, null)])))
            .Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
        Assert.Contains("expected the else branch, observed the then branch", result.Explanation);
    }

    [Fact]
    public void A_txn_taking_the_right_branch_on_mod_revision_is_linearizable()
    {
        var cas = new TxnRequest(
            [new Compare(B("k"), CompareTarget.Mod, CompareResult.Equal) { Number = 2 }],
            [new TxnPutOp(new PutRequest(B("k"), B("next")) { PrevKv = true })],
            [new TxnRangeOp(new RangeRequest(B("k")))]);
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "first", revision: 2)
            .Add(1, 2, 3, new TxnCall(cas), new Returned(new TxnResult(3, true,
                [new PutResult(3, new KeyValue(B("k"), B("first"), 2, 2, 1, 0))])))
            .Add(2, 4, 5, new TxnCall(cas), new Returned(new TxnResult(3, false,
                [new RangeResult(3, [new KeyValue(B("k"), B("next"), 2, 3, 2, 0)], false, 1)])))
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Theory]
    [InlineData("a", 3, "b", 2)]
    [InlineData("a", 2, "b", 3)]
    public void Concurrent_writes_are_accepted_in_either_order(string first, long firstRevision, string second, long secondRevision)
    {
        var last = firstRevision > secondRevision ? (first, firstRevision) : (second, secondRevision);
        var result = new HistoryBuilder()
            .Put(1, 0, 10, "k", first, firstRevision)
            .Put(2, 1, 9, "k", second, secondRevision)
            .Get(3, 11, 12, "k", 3, (last.Item1, 2, last.Item2, 2))
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void A_read_that_returned_before_a_write_began_cannot_see_it()
    {
        var result = new HistoryBuilder()
            .Get(2, 0, 1, "k", 2, ("a", 2, 2, 1))
            .Put(1, 2, 3, "k", "a", revision: 2)
            .Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_write_with_unknown_outcome_may_or_may_not_have_taken_effect(bool tookEffect)
    {
        var history = new HistoryBuilder().UnknownPut(1, 0, "k", "maybe");
        if (tookEffect)
        {
            history.Get(2, 5, 6, "k", 2, ("maybe", 2, 2, 1)).Put(2, 7, 8, "j", "x", revision: 3);
        }
        else
        {
            history.Get(2, 5, 6, "k", 1, found: null).Put(2, 7, 8, "j", "x", revision: 2);
        }

        var result = history.Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void A_write_with_unknown_outcome_still_cannot_appear_before_its_call()
    {
        var result = new HistoryBuilder()
            .Get(2, 0, 1, "k", 2, ("maybe", 2, 2, 1))
            .UnknownPut(1, 5, "k", "maybe")
            .Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_write_acknowledged_before_a_power_loss_and_gone_after_it_is_a_violation(bool lost)
    {
        // The shape of a power-loss run: acknowledged writes, calls the outage cut off (unknown
        // outcomes: each may or may not have taken effect), then a read after the restart.
        var history = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Put(2, 2, 3, "j", "b", revision: 3)
            .UnknownPut(1, 4, "k", "c")
            .UnknownPut(2, 4, "i", "d");
        history.Get(3, 100, 101, "j", 5, lost ? null : ("b", 3, 3, 1));

        var result = history.Check();

        Assert.Equal(lost ? CheckVerdict.Violation : CheckVerdict.Linearizable, result.Verdict);
    }

    [Fact]
    public void Revoking_a_lease_deletes_its_keys_in_one_revision_and_a_key_seen_afterwards_is_a_violation()
    {
        var history = new HistoryBuilder()
            .Add(1, 0, 1, new LeaseGrantCall(7, 600), new Returned(new LeaseGrantResult(1, 7, 600)))
            .Put(1, 2, 3, "a", "1", revision: 2, lease: 7)
            .Put(1, 4, 5, "b", "2", revision: 3, lease: 7)
            .Add(1, 6, 7, new LeaseRevokeCall(7), new Returned(new LeaseRevokeResult(4)));
        Assert.True(history.Check().IsLinearizable, history.Check().Explanation);

        var result = history.Get(2, 8, 9, "a", 4, ("1", 2, 2, 1), lease: 7).Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
    }

    [Fact]
    public void A_lease_not_found_error_for_a_granted_lease_is_a_violation()
    {
        var result = new HistoryBuilder()
            .Add(1, 0, 1, new LeaseGrantCall(7, 600), new Returned(new LeaseGrantResult(1, 7, 600)))
            .Add(1, 2, 3, PutOf("a", "1", 7), new Failed(DatastoreError.LeaseNotFound))
            .Check();

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
        Assert.Contains("expected rev 2, observed error LeaseNotFound", result.Explanation);
    }

    [Fact]
    public void A_search_that_runs_out_of_steps_says_it_proved_nothing()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 10, "k", "a", revision: 2)
            .Put(2, 0, 10, "j", "b", revision: 3)
            .Check(maxSteps: 1);

        Assert.Equal(CheckVerdict.GaveUp, result.Verdict);
        Assert.Contains("gave up", result.Explanation);
    }

    [Fact]
    public void Many_concurrent_reads_do_not_multiply_the_search_and_a_violation_behind_them_is_still_found()
    {
        var history = new HistoryBuilder().Put(0, 0, 1, "k", "a", revision: 2);
        for (var client = 1; client <= 24; client++)
        {
            history.Get(client, 2, 100, "k", 2, ("a", 2, 2, 1));
        }
        history.Get(99, 101, 102, "k", 2, found: null);

        var result = history.Check(maxSteps: 10_000);

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
    }

    [Fact]
    public void Options_the_model_does_not_follow_are_refused_by_name()
    {
        var history = new HistoryBuilder().Add(1, 0, 1, new RangeCall(new RangeRequest(B("k")) { Serializable = true }),
            new Returned(new RangeResult(1, [], false, 0)));

        var error = Assert.Throws<NotSupportedException>(() => history.Check());
        Assert.Contains("linearizable", error.Message);
    }
}

using static LiteKube.Datastore.Tests.Linearizability.HistoryBuilder;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>The model with other writers' revisions (outside the history's keys) known: exact
/// revisions still, with the foreign ones skipped.</summary>
public sealed class ForeignRevisionsTests
{
    [Fact]
    public void A_write_after_a_foreign_revision_takes_the_next_free_one()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Put(1, 2, 3, "k", "b", revision: 5)
            .Get(2, 4, 5, "k", 5, ("b", 2, 5, 2))
            .Check(foreign: [3, 4]);

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void A_read_may_answer_before_or_after_the_foreign_writes_that_follow_the_last_one()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Get(2, 2, 3, "k", 2, ("a", 2, 2, 1))
            .Get(2, 4, 5, "k", 3, ("a", 2, 2, 1))
            .Get(3, 6, 7, "k", 4, ("a", 2, 2, 1))
            .Check(foreign: [3, 4]);

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void A_write_at_a_revision_a_foreign_writer_took_is_a_violation()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Put(1, 2, 3, "k", "b", revision: 3)
            .Check(foreign: [3]);

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
        Assert.Contains("expected revision 4, observed 3", result.Explanation);
    }

    [Fact]
    public void A_revision_skipped_without_a_foreign_write_is_still_a_violation()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Put(1, 2, 3, "k", "b", revision: 5)
            .Check(foreign: [3]);

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
    }

    [Fact]
    public void A_stale_read_stays_a_violation_with_foreign_writes_around_it()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .Put(1, 2, 3, "k", "b", revision: 4)
            .Get(2, 4, 5, "k", 5, ("a", 2, 2, 1))
            .Check(foreign: [3, 5]);

        Assert.Equal(CheckVerdict.Violation, result.Verdict);
    }

    [Fact]
    public void An_unknown_write_that_took_effect_gets_the_next_free_revision()
    {
        var result = new HistoryBuilder()
            .Put(1, 0, 1, "k", "a", revision: 2)
            .UnknownPut(2, 2, "k", "u")
            .Get(3, 10, 11, "k", 4, ("u", 2, 4, 2))
            .Check(foreign: [3]);

        Assert.True(result.IsLinearizable, result.Explanation);
    }
}

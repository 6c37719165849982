using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Limit, count, keys-only, sorting and revision filters of a range.</summary>
public abstract class RangeOptionsContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    /// <summary>
    /// Three keys whose orders differ by every sort target:
    /// a: create 3, mod 5, version 2, value "v1";
    /// b: create 4, mod 4, version 1, value "v5";
    /// c: create 2, mod 7, version 3, value "v3".
    /// Revision 8 adds "other", outside the ranges the tests read.
    /// </summary>
    private async Task PutSortableKeysAsync()
    {
        await PutAsync("k/c", "v2"); // 2
        await PutAsync("k/a", "v9"); // 3
        await PutAsync("k/b", "v5"); // 4
        await PutAsync("k/a", "v1"); // 5
        await PutAsync("k/c", "v7"); // 6
        await PutAsync("k/c", "v3"); // 7
        await PutAsync("other", "x"); // 8
    }

    private Task<RangeResult> RangeKAsync(Func<RangeRequest, RangeRequest> options) =>
        Store.RangeAsync(options(new RangeRequest(B("k/"), PrefixEnd("k/"))));

    private static string Keys(RangeResult result) =>
        string.Join(",", result.Kvs.Select(kv => S(kv.Key)[2..]));

    [Theory]
    [InlineData(SortTarget.Key, SortOrder.Ascend, "a,b,c")]
    [InlineData(SortTarget.Key, SortOrder.Descend, "c,b,a")]
    [InlineData(SortTarget.Version, SortOrder.Ascend, "b,a,c")]
    [InlineData(SortTarget.Version, SortOrder.Descend, "c,a,b")]
    [InlineData(SortTarget.Create, SortOrder.Ascend, "c,a,b")]
    [InlineData(SortTarget.Create, SortOrder.Descend, "b,a,c")]
    [InlineData(SortTarget.Mod, SortOrder.Ascend, "b,a,c")]
    [InlineData(SortTarget.Mod, SortOrder.Descend, "c,a,b")]
    [InlineData(SortTarget.Value, SortOrder.Ascend, "a,c,b")]
    [InlineData(SortTarget.Value, SortOrder.Descend, "b,c,a")]
    [InlineData(SortTarget.Key, SortOrder.None, "a,b,c")]
    [InlineData(SortTarget.Version, SortOrder.None, "b,a,c")] // etcd ascends when only a target is given
    [InlineData(SortTarget.Value, SortOrder.None, "a,c,b")]
    public async Task A_range_sorts_by_each_target_in_each_order(SortTarget target, SortOrder order, string expected)
    {
        await PutSortableKeysAsync();

        var result = await RangeKAsync(r => r with { SortTarget = target, SortOrder = order });

        Assert.Equal(expected, Keys(result));
        Assert.Equal(3, result.Count);
    }

    [Fact]
    public async Task Limit_cuts_the_result_sets_More_and_Count_still_counts_every_key()
    {
        await PutSortableKeysAsync();

        var limited = await RangeKAsync(r => r with { Limit = 2 });
        var exact = await RangeKAsync(r => r with { Limit = 3 });
        var generous = await RangeKAsync(r => r with { Limit = 10 });

        Assert.Equal(("a,b", true, 3L), (Keys(limited), limited.More, limited.Count));
        Assert.Equal(("a,b,c", false, 3L), (Keys(exact), exact.More, exact.Count));
        Assert.Equal(("a,b,c", false, 3L), (Keys(generous), generous.More, generous.Count));
    }

    [Fact]
    public async Task A_sorted_range_is_sorted_before_the_limit_is_applied()
    {
        await PutSortableKeysAsync();

        var lastByKey = await RangeKAsync(r => r with { SortOrder = SortOrder.Descend, Limit = 1 });
        var newestByMod = await RangeKAsync(r => r with { SortTarget = SortTarget.Mod, SortOrder = SortOrder.Descend, Limit = 2 });

        Assert.Equal(("c", true, 3L), (Keys(lastByKey), lastByKey.More, lastByKey.Count));
        Assert.Equal(("c,a", true, 3L), (Keys(newestByMod), newestByMod.More, newestByMod.Count));
    }

    [Fact]
    public async Task With_filters_More_says_whether_the_filtered_keys_exceeded_the_limit()
    {
        await PutSortableKeysAsync();

        // MinModRevision 5 keeps a (mod 5) and c (mod 7) of the three keys.
        var cut = await RangeKAsync(r => r with { MinModRevision = 5, Limit = 1 });
        var fits = await RangeKAsync(r => r with { MinModRevision = 5, Limit = 2 });

        Assert.Equal(("a", true, 3L), (Keys(cut), cut.More, cut.Count));
        Assert.Equal(("a,c", false, 3L), (Keys(fits), fits.More, fits.Count));
    }

    [Fact]
    public async Task Count_only_returns_the_count_and_no_kvs()
    {
        await PutSortableKeysAsync();

        var counted = await RangeKAsync(r => r with { CountOnly = true });
        var countedWithLimit = await RangeKAsync(r => r with { CountOnly = true, Limit = 1 });
        var countedInThePast = await RangeKAsync(r => r with { CountOnly = true, Revision = 3 });

        Assert.Empty(counted.Kvs);
        Assert.Equal(3, counted.Count);
        Assert.Empty(countedWithLimit.Kvs);
        Assert.Equal(3, countedWithLimit.Count);
        Assert.Equal(2, countedInThePast.Count);
        Assert.Equal(8, counted.Revision);
    }

    [Fact]
    public async Task Keys_only_returns_the_keys_and_their_revisions_without_values()
    {
        await PutSortableKeysAsync();

        var result = await RangeKAsync(r => r with { KeysOnly = true });

        Assert.Equal("a,b,c", Keys(result));
        Assert.All(result.Kvs, kv => Assert.Empty(kv.Value));
        AssertKv(result.Kvs[2], "k/c", "", create: 2, mod: 7, version: 3);
    }

    [Fact]
    public async Task A_keys_only_range_sorted_by_value_is_sorted_by_the_values_it_leaves_out()
    {
        await PutSortableKeysAsync();

        var result = await RangeKAsync(r => r with { KeysOnly = true, SortTarget = SortTarget.Value, SortOrder = SortOrder.Descend });

        Assert.Equal("b,c,a", Keys(result));
        Assert.All(result.Kvs, kv => Assert.Empty(kv.Value));
    }

    [Theory]
    [InlineData(5, 0, 0, 0, "a,c")]
    [InlineData(0, 5, 0, 0, "a,b")]
    [InlineData(5, 5, 0, 0, "a")]
    [InlineData(0, 0, 3, 0, "a,b")]
    [InlineData(0, 0, 0, 3, "a,c")]
    [InlineData(0, 0, 3, 3, "a")]
    [InlineData(8, 0, 0, 0, "")]
    [InlineData(4, 0, 0, 3, "a,c")]
    public async Task Min_and_max_revision_filters_select_keys_and_leave_Count_alone(
        long minMod, long maxMod, long minCreate, long maxCreate, string expected)
    {
        await PutSortableKeysAsync();

        var result = await RangeKAsync(r => r with
        {
            MinModRevision = minMod,
            MaxModRevision = maxMod,
            MinCreateRevision = minCreate,
            MaxCreateRevision = maxCreate,
        });

        Assert.Equal(expected, Keys(result));
        Assert.Equal(3, result.Count);
    }

    [Fact]
    public async Task Options_combine_at_a_past_revision()
    {
        await PutSortableKeysAsync();

        var result = await RangeKAsync(r => r with
        {
            Revision = 5,
            SortTarget = SortTarget.Value,
            SortOrder = SortOrder.Descend,
            KeysOnly = true,
            Limit = 2,
        });

        // At revision 5: a = "v1" (mod 5), b = "v5", c = "v2".
        Assert.Equal(("b,c", true, 3L), (Keys(result), result.More, result.Count));
        Assert.All(result.Kvs, kv => Assert.Empty(kv.Value));
        Assert.Equal(8, result.Revision);
    }
}

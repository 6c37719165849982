using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>How txn compares evaluate, target by target.</summary>
public abstract class TxnCompareContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    private const long LeaseId = 7;

    /// <summary>"k": create 2, mod 3, version 2, value "v2", lease 7.</summary>
    private async Task PutKAsync()
    {
        await Store.LeaseGrantAsync(LeaseId, 60);
        await PutAsync("k", "v1", LeaseId);
        await PutAsync("k", "v2", LeaseId);
    }

    private static Compare MakeCompare(string key, CompareTarget target, CompareResult result, string operand) =>
        target == CompareTarget.Value
            ? new Compare(B(key), target, result) { Value = B(operand) }
            : new Compare(B(key), target, result) { Number = long.Parse(operand) };

    private async Task<bool> HoldsAsync(params Compare[] compares) =>
        (await Store.TxnAsync(new TxnRequest(compares, [], []))).Succeeded;

    [Theory]
    [InlineData(CompareTarget.Version, CompareResult.Equal, "2", true)]
    [InlineData(CompareTarget.Version, CompareResult.Equal, "1", false)]
    [InlineData(CompareTarget.Version, CompareResult.NotEqual, "1", true)]
    [InlineData(CompareTarget.Version, CompareResult.NotEqual, "2", false)]
    [InlineData(CompareTarget.Version, CompareResult.Less, "3", true)]
    [InlineData(CompareTarget.Version, CompareResult.Less, "2", false)]
    [InlineData(CompareTarget.Version, CompareResult.Greater, "1", true)]
    [InlineData(CompareTarget.Version, CompareResult.Greater, "2", false)]
    [InlineData(CompareTarget.Create, CompareResult.Equal, "2", true)]
    [InlineData(CompareTarget.Create, CompareResult.Equal, "3", false)]
    [InlineData(CompareTarget.Create, CompareResult.NotEqual, "2", false)]
    [InlineData(CompareTarget.Create, CompareResult.Less, "3", true)]
    [InlineData(CompareTarget.Create, CompareResult.Greater, "2", false)]
    [InlineData(CompareTarget.Mod, CompareResult.Equal, "3", true)]
    [InlineData(CompareTarget.Mod, CompareResult.Equal, "2", false)]
    [InlineData(CompareTarget.Mod, CompareResult.NotEqual, "2", true)]
    [InlineData(CompareTarget.Mod, CompareResult.Less, "3", false)]
    [InlineData(CompareTarget.Mod, CompareResult.Greater, "2", true)]
    [InlineData(CompareTarget.Value, CompareResult.Equal, "v2", true)]
    [InlineData(CompareTarget.Value, CompareResult.Equal, "v1", false)]
    [InlineData(CompareTarget.Value, CompareResult.NotEqual, "v1", true)]
    [InlineData(CompareTarget.Value, CompareResult.NotEqual, "v2", false)]
    [InlineData(CompareTarget.Value, CompareResult.Less, "v3", true)]
    [InlineData(CompareTarget.Value, CompareResult.Less, "v2", false)]
    [InlineData(CompareTarget.Value, CompareResult.Less, "v20", true)]
    [InlineData(CompareTarget.Value, CompareResult.Greater, "v1", true)]
    [InlineData(CompareTarget.Value, CompareResult.Greater, "v", true)]
    [InlineData(CompareTarget.Value, CompareResult.Greater, "w", false)]
    [InlineData(CompareTarget.Lease, CompareResult.Equal, "7", true)]
    [InlineData(CompareTarget.Lease, CompareResult.Equal, "0", false)]
    [InlineData(CompareTarget.Lease, CompareResult.NotEqual, "7", false)]
    [InlineData(CompareTarget.Lease, CompareResult.Less, "8", true)]
    [InlineData(CompareTarget.Lease, CompareResult.Greater, "6", true)]
    [InlineData(CompareTarget.Lease, CompareResult.Greater, "7", false)]
    public async Task A_compare_on_an_existing_key_evaluates_its_target(
        CompareTarget target, CompareResult result, string operand, bool expected)
    {
        await PutKAsync();

        Assert.Equal(expected, await HoldsAsync(MakeCompare("k", target, result, operand)));
    }

    [Theory]
    [InlineData(CompareTarget.Version, CompareResult.Equal, "0", true)]
    [InlineData(CompareTarget.Version, CompareResult.Greater, "0", false)]
    [InlineData(CompareTarget.Version, CompareResult.Less, "1", true)]
    [InlineData(CompareTarget.Create, CompareResult.Equal, "0", true)]
    [InlineData(CompareTarget.Mod, CompareResult.Equal, "0", true)]
    [InlineData(CompareTarget.Mod, CompareResult.NotEqual, "0", false)]
    [InlineData(CompareTarget.Lease, CompareResult.Equal, "0", true)]
    [InlineData(CompareTarget.Value, CompareResult.Equal, "", false)]
    [InlineData(CompareTarget.Value, CompareResult.NotEqual, "x", false)]
    [InlineData(CompareTarget.Value, CompareResult.Less, "zzz", false)]
    [InlineData(CompareTarget.Value, CompareResult.Greater, "", false)]
    public async Task A_compare_on_a_missing_key_sees_zeros_and_a_value_compare_fails(
        CompareTarget target, CompareResult result, string operand, bool expected)
    {
        await PutKAsync();

        Assert.Equal(expected, await HoldsAsync(MakeCompare("missing", target, result, operand)));
    }

    [Fact]
    public async Task A_compare_on_a_deleted_key_sees_it_as_missing()
    {
        await PutKAsync();
        await DeleteAsync("k");

        Assert.True(await HoldsAsync(MakeCompare("k", CompareTarget.Version, CompareResult.Equal, "0")));
        Assert.True(await HoldsAsync(MakeCompare("k", CompareTarget.Mod, CompareResult.Equal, "0")));
        Assert.False(await HoldsAsync(MakeCompare("k", CompareTarget.Value, CompareResult.Equal, "v2")));
    }

    [Fact]
    public async Task A_compare_over_a_range_holds_only_if_it_holds_for_every_key()
    {
        await PutAsync("p/a", "1"); // 2
        await PutAsync("p/b", "1"); // 3
        await PutAsync("p/b", "2"); // 4
        await PutAsync("q", "1");   // 5, outside the range

        Compare Over(CompareTarget target, CompareResult result, string operand) =>
            MakeCompare("p/", target, result, operand) with { RangeEnd = PrefixEnd("p/") };

        Assert.True(await HoldsAsync(Over(CompareTarget.Version, CompareResult.Greater, "0")));
        Assert.False(await HoldsAsync(Over(CompareTarget.Version, CompareResult.Equal, "2")));
        Assert.True(await HoldsAsync(Over(CompareTarget.Version, CompareResult.Less, "3")));
        Assert.True(await HoldsAsync(Over(CompareTarget.Mod, CompareResult.Less, "5")));
        Assert.False(await HoldsAsync(Over(CompareTarget.Mod, CompareResult.Less, "4")));
        Assert.True(await HoldsAsync(Over(CompareTarget.Create, CompareResult.Less, "4")));
        Assert.False(await HoldsAsync(Over(CompareTarget.Value, CompareResult.Equal, "1")));
        Assert.True(await HoldsAsync(Over(CompareTarget.Value, CompareResult.Greater, "0")));
        Assert.True(await HoldsAsync(Over(CompareTarget.Lease, CompareResult.Equal, "0")));
    }

    [Fact]
    public async Task A_compare_over_an_empty_range_behaves_like_a_compare_on_a_missing_key()
    {
        await PutAsync("q", "1");

        Compare Over(CompareTarget target, CompareResult result, string operand) =>
            MakeCompare("p/", target, result, operand) with { RangeEnd = PrefixEnd("p/") };

        // etcd (applyCompare): no key in the range compares as one missing key.
        Assert.True(await HoldsAsync(Over(CompareTarget.Mod, CompareResult.Equal, "0")));
        Assert.False(await HoldsAsync(Over(CompareTarget.Mod, CompareResult.Greater, "0")));
        Assert.False(await HoldsAsync(Over(CompareTarget.Value, CompareResult.NotEqual, "x")));
    }

    [Fact]
    public async Task Several_compares_must_all_hold()
    {
        await PutKAsync();

        var holds = MakeCompare("k", CompareTarget.Version, CompareResult.Equal, "2");
        var fails = MakeCompare("k", CompareTarget.Value, CompareResult.Equal, "v1");
        var missingHolds = MakeCompare("missing", CompareTarget.Create, CompareResult.Equal, "0");

        Assert.True(await HoldsAsync(holds, missingHolds));
        Assert.False(await HoldsAsync(holds, fails, missingHolds));
        Assert.False(await HoldsAsync(fails, holds));
        Assert.True(await HoldsAsync());
    }

    [Fact]
    public async Task A_compare_and_swap_on_mod_revision_succeeds_once()
    {
        await PutAsync("k", "1");
        var seen = (await GetAsync("k"))!.ModRevision;

        TxnRequest Swap(string value) => new(
            [new Compare(B("k"), CompareTarget.Mod, CompareResult.Equal) { Number = seen }],
            [new TxnPutOp(new PutRequest(B("k"), B(value)))],
            [new TxnRangeOp(new RangeRequest(B("k")))]);

        var first = await Store.TxnAsync(Swap("2"));
        var second = await Store.TxnAsync(Swap("3"));

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        var current = Assert.IsType<RangeResult>(Assert.Single(second.Responses));
        AssertKv(Assert.Single(current.Kvs), "k", "2", create: 2, mod: 3, version: 2);
        Assert.Equal(3, second.Revision);
    }
}

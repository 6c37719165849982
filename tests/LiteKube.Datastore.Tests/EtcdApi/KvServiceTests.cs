using Grpc.Core;
using static LiteKube.Datastore.Tests.EtcdApi.Protos;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class KvServiceTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Put_then_range_returns_the_value_with_its_revisions_and_a_full_header()
    {
        var put = await server.Kv.PutAsync(Put("/a", "1"));
        var range = await server.Kv.RangeAsync(Get("/a"));

        Assert.Equal(EtcdApiServer.Member.ClusterId, put.Header.ClusterId);
        Assert.Equal(EtcdApiServer.Member.MemberId, put.Header.MemberId);
        Assert.Equal(0ul, put.Header.RaftTerm);
        var kv = Assert.Single(range.Kvs);
        Assert.Equal("1", Text(kv.Value));
        Assert.Equal(put.Header.Revision, kv.CreateRevision);
        Assert.Equal(put.Header.Revision, kv.ModRevision);
        Assert.Equal(1, kv.Version);
        Assert.Equal(put.Header.Revision, range.Header.Revision);
        Assert.Equal(1, range.Count);
    }

    [Fact]
    public async Task Range_at_an_older_revision_sees_the_value_of_that_time()
    {
        var first = await server.Kv.PutAsync(Put("/a", "old"));
        await server.Kv.PutAsync(Put("/a", "new"));

        var range = await server.Kv.RangeAsync(new EtcdPb.RangeRequest { Key = Bytes("/a"), Revision = first.Header.Revision });

        Assert.Equal("old", Text(Assert.Single(range.Kvs).Value));
    }

    [Fact]
    public async Task Range_with_limit_says_there_is_more_and_counts_the_whole_range()
    {
        foreach (var key in new[] { "/p/a", "/p/b", "/p/c" })
        {
            await server.Kv.PutAsync(Put(key, "v"));
        }

        var request = GetPrefix("/p/");
        request.Limit = 2;
        var range = await server.Kv.RangeAsync(request);

        Assert.Equal(["/p/a", "/p/b"], Keys(range.Kvs));
        Assert.True(range.More);
        Assert.Equal(3, range.Count);
    }

    [Fact]
    public async Task Count_only_and_keys_only_leave_out_what_was_not_asked_for()
    {
        await server.Kv.PutAsync(Put("/p/a", "value"));
        await server.Kv.PutAsync(Put("/p/b", "value"));

        var countRequest = GetPrefix("/p/");
        countRequest.CountOnly = true;
        var count = await server.Kv.RangeAsync(countRequest);
        var keysRequest = GetPrefix("/p/");
        keysRequest.KeysOnly = true;
        var keys = await server.Kv.RangeAsync(keysRequest);

        Assert.Empty(count.Kvs);
        Assert.Equal(2, count.Count);
        Assert.Equal(["/p/a", "/p/b"], Keys(keys.Kvs));
        Assert.All(keys.Kvs, kv => Assert.True(kv.Value.IsEmpty));
    }

    [Fact]
    public async Task Range_sorts_by_the_target_asked_for_ascending_when_no_order_is_given()
    {
        await server.Kv.PutAsync(Put("/p/a", "3"));
        await server.Kv.PutAsync(Put("/p/b", "1"));
        await server.Kv.PutAsync(Put("/p/c", "2"));

        var byValue = GetPrefix("/p/");
        byValue.SortTarget = EtcdPb.RangeRequest.Types.SortTarget.Value;
        var byKeyDescending = GetPrefix("/p/");
        byKeyDescending.SortOrder = EtcdPb.RangeRequest.Types.SortOrder.Descend;

        Assert.Equal(["/p/b", "/p/c", "/p/a"], Keys((await server.Kv.RangeAsync(byValue)).Kvs));
        Assert.Equal(["/p/c", "/p/b", "/p/a"], Keys((await server.Kv.RangeAsync(byKeyDescending)).Kvs));
    }

    [Fact]
    public async Task Range_filters_by_mod_and_create_revision()
    {
        var a = await server.Kv.PutAsync(Put("/p/a", "1"));
        var b = await server.Kv.PutAsync(Put("/p/b", "1"));
        await server.Kv.PutAsync(Put("/p/a", "2"));

        var minMod = GetPrefix("/p/");
        minMod.MinModRevision = b.Header.Revision + 1;
        var maxCreate = GetPrefix("/p/");
        maxCreate.MaxCreateRevision = a.Header.Revision;

        Assert.Equal(["/p/a"], Keys((await server.Kv.RangeAsync(minMod)).Kvs));
        Assert.Equal(["/p/a"], Keys((await server.Kv.RangeAsync(maxCreate)).Kvs));
    }

    [Fact]
    public async Task Put_with_prev_kv_returns_the_value_it_replaced()
    {
        await server.Kv.PutAsync(Put("/a", "before"));

        var request = Put("/a", "after");
        request.PrevKv = true;
        var put = await server.Kv.PutAsync(request);

        Assert.Equal("before", Text(put.PrevKv.Value));
    }

    [Fact]
    public async Task Put_with_ignore_value_and_ignore_lease_keeps_them_and_needs_an_existing_key()
    {
        var lease = await server.Lease.LeaseGrantAsync(new EtcdPb.LeaseGrantRequest { TTL = 60 });
        await server.Kv.PutAsync(Put("/a", "kept", lease.ID));

        await server.Kv.PutAsync(new EtcdPb.PutRequest { Key = Bytes("/a"), IgnoreValue = true, IgnoreLease = true });
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            server.Kv.PutAsync(new EtcdPb.PutRequest { Key = Bytes("/missing"), IgnoreValue = true }).ResponseAsync);

        var kv = Assert.Single((await server.Kv.RangeAsync(Get("/a"))).Kvs);
        Assert.Equal("kept", Text(kv.Value));
        Assert.Equal(lease.ID, kv.Lease);
        Assert.Equal(2, kv.Version);
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Equal("etcdserver: key not found", missing.Status.Detail);
    }

    [Fact]
    public async Task Put_with_ignore_value_and_a_value_is_refused_as_etcd_does()
    {
        await server.Kv.PutAsync(Put("/a", "1"));

        var valueGiven = await Assert.ThrowsAsync<RpcException>(() =>
            server.Kv.PutAsync(new EtcdPb.PutRequest { Key = Bytes("/a"), Value = Bytes("x"), IgnoreValue = true }).ResponseAsync);
        var leaseGiven = await Assert.ThrowsAsync<RpcException>(() =>
            server.Kv.PutAsync(new EtcdPb.PutRequest { Key = Bytes("/a"), Lease = 5, IgnoreLease = true }).ResponseAsync);

        Assert.Equal("etcdserver: value is provided", valueGiven.Status.Detail);
        Assert.Equal("etcdserver: lease is provided", leaseGiven.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, leaseGiven.StatusCode);
    }

    [Fact]
    public async Task Delete_range_with_prev_kv_returns_every_deleted_pair()
    {
        await server.Kv.PutAsync(Put("/p/a", "1"));
        await server.Kv.PutAsync(Put("/p/b", "2"));
        await server.Kv.PutAsync(Put("/q", "3"));

        var deleted = await server.Kv.DeleteRangeAsync(new EtcdPb.DeleteRangeRequest
        {
            Key = Bytes("/p/"), RangeEnd = PrefixEnd("/p/"), PrevKv = true,
        });

        Assert.Equal(2, deleted.Deleted);
        Assert.Equal(["1", "2"], deleted.PrevKvs.Select(kv => Text(kv.Value)));
        Assert.Equal(1, (await server.Kv.RangeAsync(new EtcdPb.RangeRequest { Key = Bytes("\0"), RangeEnd = Bytes("\0") })).Count);
    }

    [Fact]
    public async Task Compact_makes_older_revisions_answer_compacted_and_newer_ones_future()
    {
        var first = await server.Kv.PutAsync(Put("/a", "1"));
        var second = await server.Kv.PutAsync(Put("/a", "2"));

        await server.Kv.CompactAsync(new EtcdPb.CompactionRequest { Revision = second.Header.Revision, Physical = true });
        var compacted = await Assert.ThrowsAsync<RpcException>(() =>
            server.Kv.RangeAsync(new EtcdPb.RangeRequest { Key = Bytes("/a"), Revision = first.Header.Revision }).ResponseAsync);
        var future = await Assert.ThrowsAsync<RpcException>(() =>
            server.Kv.RangeAsync(new EtcdPb.RangeRequest { Key = Bytes("/a"), Revision = second.Header.Revision + 10 }).ResponseAsync);

        Assert.Equal(StatusCode.OutOfRange, compacted.StatusCode);
        Assert.Equal("etcdserver: mvcc: required revision has been compacted", compacted.Status.Detail);
        Assert.Equal(StatusCode.OutOfRange, future.StatusCode);
        Assert.Equal("etcdserver: mvcc: required revision is a future revision", future.Status.Detail);
    }
}

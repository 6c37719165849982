using Grpc.Core;
using static LiteKube.Datastore.Tests.EtcdApi.Protos;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class TxnTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData(EtcdPb.Compare.Types.CompareResult.Equal, 2, true)]
    [InlineData(EtcdPb.Compare.Types.CompareResult.Equal, 1, false)]
    [InlineData(EtcdPb.Compare.Types.CompareResult.NotEqual, 1, true)]
    [InlineData(EtcdPb.Compare.Types.CompareResult.Greater, 1, true)]
    [InlineData(EtcdPb.Compare.Types.CompareResult.Greater, 2, false)]
    [InlineData(EtcdPb.Compare.Types.CompareResult.Less, 3, true)]
    [InlineData(EtcdPb.Compare.Types.CompareResult.Less, 2, false)]
    public async Task Txn_compares_the_version_with_each_result(EtcdPb.Compare.Types.CompareResult result, long version, bool succeeds)
    {
        await server.Kv.PutAsync(Put("/a", "1"));
        await server.Kv.PutAsync(Put("/a", "2"));

        var txn = new EtcdPb.TxnRequest
        {
            Compare = { new EtcdPb.Compare { Key = Bytes("/a"), Target = EtcdPb.Compare.Types.CompareTarget.Version, Result = result, Version = version } },
            Success = { Op(Put("/outcome", "success")) },
            Failure = { Op(Put("/outcome", "failure")) },
        };
        var response = await server.Kv.TxnAsync(txn);

        Assert.Equal(succeeds, response.Succeeded);
        Assert.Equal(succeeds ? "success" : "failure", Text(Assert.Single((await server.Kv.RangeAsync(Get("/outcome"))).Kvs).Value));
    }

    [Fact]
    public async Task Txn_compares_value_create_mod_and_lease_targets()
    {
        var put = await server.Kv.PutAsync(Put("/a", "hello"));
        var revision = put.Header.Revision;

        var txn = new EtcdPb.TxnRequest
        {
            Compare =
            {
                new EtcdPb.Compare { Key = Bytes("/a"), Target = EtcdPb.Compare.Types.CompareTarget.Value, Value = Bytes("hello") },
                new EtcdPb.Compare { Key = Bytes("/a"), Target = EtcdPb.Compare.Types.CompareTarget.Create, CreateRevision = revision },
                new EtcdPb.Compare { Key = Bytes("/a"), Target = EtcdPb.Compare.Types.CompareTarget.Mod, ModRevision = revision },
                new EtcdPb.Compare { Key = Bytes("/a"), Target = EtcdPb.Compare.Types.CompareTarget.Lease, Lease = 0 },
            },
            Success = { Op(Get("/a")) },
        };
        var response = await server.Kv.TxnAsync(txn);

        Assert.True(response.Succeeded);
        Assert.Equal("hello", Text(Assert.Single(response.Responses).ResponseRange.Kvs[0].Value));
    }

    [Fact]
    public async Task Txn_compare_over_a_range_holds_only_if_it_holds_for_every_key()
    {
        await server.Kv.PutAsync(Put("/p/a", "1"));
        await server.Kv.PutAsync(Put("/p/b", "1"));
        await server.Kv.PutAsync(Put("/p/b", "2"));

        var txn = new EtcdPb.TxnRequest
        {
            Compare = { new EtcdPb.Compare { Key = Bytes("/p/"), RangeEnd = PrefixEnd("/p/"), Target = EtcdPb.Compare.Types.CompareTarget.Version, Version = 1 } },
        };

        Assert.False((await server.Kv.TxnAsync(txn)).Succeeded);
    }

    [Fact]
    public async Task Txn_runs_range_put_delete_and_nested_txn_ops_and_answers_each()
    {
        await server.Kv.PutAsync(Put("/gone", "x"));

        var nested = new EtcdPb.TxnRequest { Success = { Op(Put("/nested", "n")) } };
        var txn = new EtcdPb.TxnRequest
        {
            Success =
            {
                Op(Put("/new", "v")),
                Op(new EtcdPb.DeleteRangeRequest { Key = Bytes("/gone") }),
                Op(nested),
                Op(Get("/new")),
            },
        };
        var response = await server.Kv.TxnAsync(txn);

        Assert.True(response.Succeeded);
        Assert.Collection(response.Responses,
            r => Assert.Equal(response.Header.Revision, r.ResponsePut.Header.Revision),
            r => Assert.Equal(1, r.ResponseDeleteRange.Deleted),
            r => Assert.True(r.ResponseTxn.Succeeded),
            r => Assert.Equal("v", Text(r.ResponseRange.Kvs[0].Value)));
        Assert.Equal("n", Text((await server.Kv.RangeAsync(Get("/nested"))).Kvs[0].Value));
    }

    [Fact]
    public async Task Txn_that_writes_one_key_twice_is_refused()
    {
        var txn = new EtcdPb.TxnRequest { Success = { Op(Put("/a", "1")), Op(Put("/a", "2")) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Kv.TxnAsync(txn).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: duplicate key given in txn request", error.Status.Detail);
    }

    [Fact]
    public async Task Txn_with_more_than_128_ops_is_refused_with_too_many_operations()
    {
        var txn = new EtcdPb.TxnRequest();
        for (var i = 0; i < 129; i++)
        {
            txn.Success.Add(Op(Put($"/k{i}", "v")));
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Kv.TxnAsync(txn).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: too many operations in txn request", error.Status.Detail);
    }

    [Fact]
    public async Task Txn_with_an_empty_op_is_refused_as_etcd_does()
    {
        var txn = new EtcdPb.TxnRequest { Success = { new EtcdPb.RequestOp() } };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Kv.TxnAsync(txn).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: key not found", error.Status.Detail);
    }
}

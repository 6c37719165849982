using Grpc.Core;
using static LiteKube.Datastore.Tests.EtcdApi.Protos;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class KvValidationTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task An_empty_key_is_refused_for_range_put_and_delete()
    {
        var errors = new[]
        {
            await Assert.ThrowsAsync<RpcException>(() => server.Kv.RangeAsync(new EtcdPb.RangeRequest()).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => server.Kv.PutAsync(new EtcdPb.PutRequest { Value = Bytes("v") }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => server.Kv.DeleteRangeAsync(new EtcdPb.DeleteRangeRequest()).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() =>
                server.Kv.TxnAsync(new EtcdPb.TxnRequest { Success = { Op(new EtcdPb.PutRequest()) } }).ResponseAsync),
        };

        Assert.All(errors, error =>
        {
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal("etcdserver: key is not provided", error.Status.Detail);
        });
    }

    [Fact]
    public async Task A_put_over_one_and_a_half_mebibytes_is_refused_as_too_large()
    {
        var request = new EtcdPb.PutRequest { Key = Bytes("/big"), Value = Google.Protobuf.ByteString.CopyFrom(new byte[1600 * 1024]) };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Kv.PutAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: request is too large", error.Status.Detail);
        Assert.Empty((await server.Kv.RangeAsync(Get("/big"))).Kvs);
    }

    [Fact]
    public async Task A_put_just_under_the_limit_is_stored()
    {
        var request = new EtcdPb.PutRequest { Key = Bytes("/big"), Value = Google.Protobuf.ByteString.CopyFrom(new byte[1500 * 1024]) };

        await server.Kv.PutAsync(request);

        Assert.Equal(1500 * 1024, Assert.Single((await server.Kv.RangeAsync(Get("/big"))).Kvs).Value.Length);
    }

    [Fact]
    public async Task A_message_beyond_what_grpc_receives_is_refused_by_the_transport()
    {
        var request = new EtcdPb.PutRequest { Key = Bytes("/huge"), Value = Google.Protobuf.ByteString.CopyFrom(new byte[3 * 1024 * 1024]) };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Kv.PutAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task An_unknown_sort_option_is_refused()
    {
        var request = new EtcdPb.RangeRequest { Key = Bytes("/a"), SortOrder = (EtcdPb.RangeRequest.Types.SortOrder)7 };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Kv.RangeAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("etcdserver: invalid sort option", error.Status.Detail);
    }

    [Fact]
    public async Task An_unknown_compare_target_is_refused_by_name()
    {
        var txn = new EtcdPb.TxnRequest
        {
            Compare = { new EtcdPb.Compare { Key = Bytes("/a"), Target = (EtcdPb.Compare.Types.CompareTarget)9 } },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Kv.TxnAsync(txn).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("compare target 9", error.Status.Detail);
    }
}

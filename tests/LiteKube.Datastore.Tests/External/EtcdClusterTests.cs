using Google.Protobuf;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.External;

/// <summary>The fixture itself: real etcd members start with TLS, survive kill -9 and restart,
/// and pause with SIGSTOP.</summary>
public sealed class EtcdClusterTests
{
    [Fact]
    public async Task A_three_member_cluster_serves_over_mutual_tls_and_a_killed_member_comes_back_with_its_data()
    {
        await using var etcd = await EtcdCluster.StartAsync(3);
        using var first = etcd.OpenChannel(0);
        var put = await new EtcdPb.KV.KVClient(first).PutAsync(new EtcdPb.PutRequest { Key = ByteString.CopyFromUtf8("a"), Value = ByteString.CopyFromUtf8("1") });

        etcd.Members[2].Kill();
        Assert.False(etcd.Members[2].IsRunning);
        await etcd.RestartAsync(2);

        using var third = etcd.OpenChannel(2);
        var range = await new EtcdPb.KV.KVClient(third).RangeAsync(new EtcdPb.RangeRequest { Key = ByteString.CopyFromUtf8("a") });
        Assert.Equal("1", range.Kvs.Single().Value.ToStringUtf8());
        Assert.Equal(put.Header.Revision, range.Kvs.Single().ModRevision);
        Assert.Equal(["https"], etcd.ClientEndpoints.Select(u => u.Scheme).Distinct());
        Assert.Equal(3, etcd.ClientEndpoints.Select(u => u.Host).Distinct().Count());
    }

    [Fact]
    public async Task A_paused_member_does_not_answer_until_resumed()
    {
        await using var etcd = await EtcdCluster.StartAsync(1);
        using var channel = etcd.OpenChannel(0);
        var kv = new EtcdPb.KV.KVClient(channel);
        await kv.RangeAsync(new EtcdPb.RangeRequest { Key = ByteString.CopyFromUtf8("a") });

        etcd.Members[0].Pause();
        var paused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await kv.RangeAsync(new EtcdPb.RangeRequest { Key = ByteString.CopyFromUtf8("a") }, deadline: DateTime.UtcNow.AddMilliseconds(500)));
        etcd.Members[0].Resume();
        var resumed = await kv.RangeAsync(new EtcdPb.RangeRequest { Key = ByteString.CopyFromUtf8("a") }, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(Grpc.Core.StatusCode.DeadlineExceeded, paused.StatusCode);
        Assert.Equal(0, resumed.Count);
    }
}

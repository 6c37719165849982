using Grpc.Core;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class ClusterServiceTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Member_list_shows_this_member_as_a_voter()
    {
        var list = await server.Cluster.MemberListAsync(new EtcdPb.MemberListRequest());

        var member = Assert.Single(list.Members);
        Assert.Equal(EtcdApiServer.Member.MemberId, member.ID);
        Assert.Equal("node-1", member.Name);
        Assert.Equal(EtcdApiServer.Member.PeerUrls, member.PeerURLs);
        Assert.Equal(EtcdApiServer.Member.ClientUrls, member.ClientURLs);
        Assert.False(member.IsLearner);
        Assert.Equal(EtcdApiServer.Member.ClusterId, list.Header.ClusterId);
    }

    [Fact]
    public async Task Membership_changes_are_refused_pointing_to_litekube_join_and_leave()
    {
        var errors = new[]
        {
            await Assert.ThrowsAsync<RpcException>(() => server.Cluster.MemberAddAsync(new EtcdPb.MemberAddRequest { PeerURLs = { "http://x:2380" } }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => server.Cluster.MemberRemoveAsync(new EtcdPb.MemberRemoveRequest { ID = 1 }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => server.Cluster.MemberUpdateAsync(new EtcdPb.MemberUpdateRequest { ID = 1 }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => server.Cluster.MemberPromoteAsync(new EtcdPb.MemberPromoteRequest { ID = 1 }).ResponseAsync),
        };

        Assert.All(errors, error =>
        {
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Contains("litekube join", error.Status.Detail);
            Assert.Contains("litekube leave", error.Status.Detail);
        });
    }
}

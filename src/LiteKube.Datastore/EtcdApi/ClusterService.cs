using Grpc.Core;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>etcd's Cluster service: lists the members (<see cref="IEtcdClusterView"/>); changes to membership go through
/// LiteKube's own join and leave, which also handle certificates and roles.</summary>
internal sealed class ClusterService(ResponseHeaderFactory headers, IEtcdClusterView cluster) : EtcdPb.Cluster.ClusterBase
{
    public override Task<EtcdPb.MemberListResponse> MemberList(EtcdPb.MemberListRequest request, ServerCallContext context)
    {
        var response = new EtcdPb.MemberListResponse { Header = headers.CreateCurrent() };
        foreach (var member in cluster.Members())
        {
            var proto = new EtcdPb.Member { ID = member.Id, Name = member.Name, IsLearner = member.IsLearner };
            proto.PeerURLs.AddRange(member.PeerUrls);
            proto.ClientURLs.AddRange(member.ClientUrls);
            response.Members.Add(proto);
        }

        return Task.FromResult(response);
    }

    public override Task<EtcdPb.MemberAddResponse> MemberAdd(EtcdPb.MemberAddRequest request, ServerCallContext context) =>
        throw EtcdErrors.Membership();

    public override Task<EtcdPb.MemberRemoveResponse> MemberRemove(EtcdPb.MemberRemoveRequest request, ServerCallContext context) =>
        throw EtcdErrors.Membership();

    public override Task<EtcdPb.MemberUpdateResponse> MemberUpdate(EtcdPb.MemberUpdateRequest request, ServerCallContext context) =>
        throw EtcdErrors.Membership();

    public override Task<EtcdPb.MemberPromoteResponse> MemberPromote(EtcdPb.MemberPromoteRequest request, ServerCallContext context) =>
        throw EtcdErrors.Membership();
}

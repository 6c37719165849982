using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>The etcd API's view of a <see cref="ReplicatedStore"/>: its members (peer URLs from
/// the replicated member records) and its Raft status.</summary>
public sealed class ReplicatedClusterView(ReplicatedStore store, EtcdMemberInfo self, string peerScheme) : IEtcdClusterView
{
    public IReadOnlyList<EtcdClusterMember> Members() =>
    [
        .. store.Members().Select(m => m.Id == self.MemberId
            ? new EtcdClusterMember(m.Id, self.Name, self.PeerUrls, self.ClientUrls, m.IsLearner)
            : new EtcdClusterMember(m.Id, m.Name, m.PeerAddress.Length > 0 ? [$"{peerScheme}://{m.PeerAddress}"] : [], [], m.IsLearner)),
    ];

    public EtcdRaftStatus Status()
    {
        var status = store.RaftStatus;
        return new EtcdRaftStatus(status.Leader, status.Term, status.Committed, status.Applied,
            status.Membership.Learners.Contains(status.Id));
    }
}

namespace LiteKube.Datastore.EtcdApi;

/// <summary>
/// What the etcd API reports about the cluster behind the store it serves: the member list and
/// this member's Raft figures (Maintenance.Status, response headers). A single-node store has one
/// member that leads itself (<see cref="SingleMemberClusterView"/>); the replicated store reports
/// its Raft state (<see cref="ReplicatedClusterView"/>).
/// </summary>
public interface IEtcdClusterView
{
    IReadOnlyList<EtcdClusterMember> Members();

    EtcdRaftStatus Status();
}

/// <summary>A member as etcd's MemberList shows it. Client URLs are known for this member only;
/// etcd too lists none for a member it has not heard them from.</summary>
public sealed record EtcdClusterMember(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner);

/// <summary>This member's Raft view: the leader it knows (0: none), term, last committed index,
/// applied index, and whether it is a learner.</summary>
public sealed record EtcdRaftStatus(ulong Leader, ulong Term, ulong CommittedIndex, ulong AppliedIndex, bool IsLearner);

/// <summary>The view of a store that is not replicated: this member alone, always its own leader.</summary>
public sealed class SingleMemberClusterView(EtcdMemberInfo member) : IEtcdClusterView
{
    public IReadOnlyList<EtcdClusterMember> Members() =>
        [new(member.MemberId, member.Name, member.PeerUrls, member.ClientUrls, IsLearner: false)];

    public EtcdRaftStatus Status() => new(member.MemberId, 0, 0, 0, IsLearner: false);
}

using LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>Fills etcd's ResponseHeader (raft_term is 0 for a single-node store).</summary>
internal sealed class ResponseHeaderFactory(EtcdMemberInfo member, IDatastoreMaintenance maintenance, IEtcdClusterView cluster)
{
    public EtcdMemberInfo Member { get; } = member;

    public ResponseHeader Create(long revision) => new()
    {
        ClusterId = Member.ClusterId,
        MemberId = Member.MemberId,
        Revision = revision,
        RaftTerm = cluster.Status().Term,
    };

    /// <summary>For responses that did not touch the key space: etcd reports the current
    /// revision there too.</summary>
    public ResponseHeader CreateCurrent() => Create(maintenance.CurrentRevision);
}

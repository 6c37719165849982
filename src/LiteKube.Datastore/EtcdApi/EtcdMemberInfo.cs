namespace LiteKube.Datastore.EtcdApi;

/// <summary>Who this server is, as etcd clients see it: the ids go into every response header
/// and the URLs into this member's MemberList entry.</summary>
public sealed record EtcdMemberInfo(
    ulong MemberId,
    ulong ClusterId,
    string Name,
    IReadOnlyList<string> PeerUrls,
    IReadOnlyList<string> ClientUrls);

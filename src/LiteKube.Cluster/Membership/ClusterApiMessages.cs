using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiteKube.Cluster.Membership;

// The cluster API on the cluster port (HTTPS, JSON): what `litekube join`, `add-node`, `status`,
// `leave` and `remove-node` send and get back. Ids travel as 16 hex digits, as etcd prints them.

/// <summary>Paths of the cluster API. <see cref="Authority"/> needs no credentials (the joining
/// node pins what it gets by hash); <see cref="Join"/> needs a join token; the rest a client
/// certificate of the cluster CA: an admin one (group system:masters), or for
/// <see cref="Departures"/> and <see cref="Members"/> a server's own cluster-port certificate.</summary>
public static class ClusterApiPaths
{
    public const string Authority = "/litekube/v1/authority";
    public const string Join = "/litekube/v1/join";
    public const string Tokens = "/litekube/v1/tokens";
    public const string Status = "/litekube/v1/status";
    public const string Members = "/litekube/v1/members";
    public const string Leave = "/litekube/v1/leave";
    public const string Departures = "/litekube/v1/departures";
    public const string RemoveNode = "/litekube/v1/remove-node";
}

public sealed record JoinRequest(string Token, string NodeName, string PeerAddress, JoinRole Role);

/// <summary>What a control-plane node needs to become a server of the cluster: the cluster's
/// keys (every server signs certificates and service-account tokens with the same ones), its
/// member id, and the members it can first reach.</summary>
public sealed record JoinResponse(string ClusterId, string MemberId, string CaCertificate, string CaKey, string ServiceAccountKey,
    IReadOnlyList<MemberAddress> Members, DatastoreAccess? Datastore = null);

/// <summary>With an external etcd (no Raft membership to join): how the new server reaches it,
/// with the PEM contents of the TLS files the cluster's servers use.</summary>
public sealed record DatastoreAccess(IReadOnlyList<string> Endpoints, string? CaCertificate, string? ClientCertificate, string? ClientKey);

public sealed record MemberAddress(string Id, string Name, string PeerAddress);

/// <summary>Every refusal: a one-line message; <see cref="Leader"/> names the cluster address of
/// the leader when only the leader can do what was asked (the caller retries there).</summary>
public sealed record ClusterApiError(string Message, string? Leader = null);

public sealed record TokenRequest(JoinRole Role, long TtlSeconds, bool Reusable)
{
    /// <summary>One hour, as MicroK8s' add-node.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);
}

public sealed record TokenResponse(string Token, DateTimeOffset Expires, string CaHash, IReadOnlyList<string> Addresses);

/// <summary>What <c>litekube add-node --format json</c> prints.</summary>
public sealed record JoinCommands(string Token, DateTimeOffset Expires, string CaHash, IReadOnlyList<string> Join);

public sealed record DepartureRequest(string NodeName);

public sealed record RemoveNodeRequest(string NodeName, bool Force);

/// <summary>What <c>litekube status</c> shows; its JSON form is the stable one for scripts.</summary>
public sealed record ClusterStatus(
    string Datastore,
    bool HighAvailability,
    int FailureTolerance,
    string? Leader,
    IReadOnlyList<MemberStatus> Voters,
    IReadOnlyList<MemberStatus> Standbys,
    IReadOnlyList<NodeStatus> Nodes);

public sealed record MemberStatus(string Id, string Name, string PeerAddress, bool Leader, long? Lag, bool? Reachable);

public sealed record NodeStatus(string Name, bool Ready, string? Reason);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JoinRequest))]
[JsonSerializable(typeof(JoinResponse))]
[JsonSerializable(typeof(ClusterApiError))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DepartureRequest))]
[JsonSerializable(typeof(JoinCommands))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(RemoveNodeRequest))]
[JsonSerializable(typeof(ClusterStatus))]
[JsonSerializable(typeof(IReadOnlyList<MemberStatus>))]
[JsonSerializable(typeof(IReadOnlyList<MemberAddress>))]
[JsonSerializable(typeof(JoinTokenRecord))]
public sealed partial class ClusterApiJson : JsonSerializerContext;

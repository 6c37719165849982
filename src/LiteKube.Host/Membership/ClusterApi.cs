using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore;
using LiteKube.Datastore.Replication;
using LiteKube.Host.Settings;
using LiteKube.Host.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host.Membership;

/// <summary>
/// The cluster API on the cluster port: JSON over HTTPS (see <see cref="ClusterApiPaths"/> for
/// who may call what). Membership changes are made by the datastore's leader: a server that
/// does not lead answers 421 naming the leader, and callers retry there
/// (<see cref="ClusterApiClient"/> does).
/// </summary>
internal sealed partial class ClusterApi(
    ServerSettings settings,
    MemberIdentity identity,
    IKeyValueStore store,
    ReplicatedStore? replicated,
    ClusterCredentials credentials,
    ClusterApiClient peers,
    TimeProvider time,
    ILogger logger)
{
    private readonly JoinTokenStore tokens = new(store, time);

    /// <summary>The voter rules, with this server's <c>--voters</c>.</summary>
    public VoterPlanner Planner { get; } = VoterPlanner.Default with { DesiredVoters = settings.Voters };

    /// <summary>Set once the server runs the role manager (embedded datastore only).</summary>
    public RoleManager? Roles { get; set; }

    /// <summary>Set by the server: what this node does when it leaves (see <see cref="ILocalNode"/>).</summary>
    public ILocalNode? LocalNode { get; set; }

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ClusterApiPaths.Authority, () => Results.Text(credentials.Authority.CertificatePem, "application/x-pem-file"));
        endpoints.MapPost(ClusterApiPaths.Join, (Delegate)JoinAsync);
        endpoints.MapPost(ClusterApiPaths.Tokens, (Delegate)CreateTokenAsync);
        endpoints.MapGet(ClusterApiPaths.Status, (Delegate)StatusAsync);
        endpoints.MapGet(ClusterApiPaths.Members, (Delegate)MembersAsync);
        endpoints.MapPost(ClusterApiPaths.Leave, (Delegate)LeaveAsync);
        endpoints.MapPost(ClusterApiPaths.Departures, (Delegate)DepartureAsync);
        endpoints.MapPost(ClusterApiPaths.RemoveNode, (Delegate)RemoveNodeAsync);
    }

    private static IResult Error(int status, string message, string? leader = null) =>
        Results.Json(new ClusterApiError(message, leader), ClusterApiJson.Default.ClusterApiError, statusCode: status);

    private static IResult Ok<T>(T value, JsonTypeInfo<T> type) => Results.Json(value, type);

    /// <summary>Null when <paramref name="context"/>'s caller may do this, else the refusal.</summary>
    private static IResult? Require(HttpContext context, params ClusterCaller[] allowed)
    {
        var caller = ClusterTls.CallerOf(context);
        return allowed.Contains(caller) ? null : Error(caller == ClusterCaller.Anonymous ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden,
            caller == ClusterCaller.Anonymous
                ? "this call needs a client certificate of the cluster (run it on a server of the cluster)"
                : "this call needs an administrator's certificate of the cluster (group system:masters)");
    }

    private static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            return value is null ? (null, Error(StatusCodes.Status400BadRequest, "the request body is empty")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"the request body is not a valid {typeof(T).Name}: {ServerHost.OneLine(e.Message)}"));
        }
    }

    /// <summary>421 naming the leader when this server does not lead the datastore, else null.</summary>
    private IResult? RequireLeader()
    {
        if (replicated is null || replicated.IsLeader)
        {
            return null;
        }

        var leader = replicated.Members().FirstOrDefault(m => m.IsLeader);
        return leader is null
            ? Error(StatusCodes.Status503ServiceUnavailable, "the datastore has no leader right now; try again in a few seconds")
            : Error(StatusCodes.Status421MisdirectedRequest, $"membership changes are made by the datastore leader {leader.Name} ({leader.PeerAddress})", leader.PeerAddress);
    }

    private static IResult Unavailable(DatastoreException e) =>
        Error(StatusCodes.Status503ServiceUnavailable, $"the datastore did not complete the change: {ServerHost.OneLine(e.Message)}");

    /// <summary>The addresses this server's cluster port is reachable at, for join strings.</summary>
    private IReadOnlyList<string> ClusterAddresses()
    {
        var addresses = new List<IPAddress> { settings.AdvertiseAddress };
        if (!settings.BindAddress.Equals(IPAddress.Any) && !settings.BindAddress.Equals(IPAddress.IPv6Any))
        {
            addresses.Add(settings.BindAddress);
        }
        else
        {
            addresses.AddRange(LocalAddresses.NonLoopback());
        }

        return [.. addresses.Distinct().Select(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{a}]:{settings.ClusterPort}" : $"{a}:{settings.ClusterPort}")];
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "{Node} joined as a datastore standby (member {Id:x16}, {Address})")]
    private static partial void LogJoined(ILogger logger, string node, ulong id, string address);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "refused a join as {Node} from {Remote}: {Reason}")]
    private static partial void LogJoinRefused(ILogger logger, string node, string? remote, string reason);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "{Node} left the datastore (member {Id:x16})")]
    private static partial void LogDeparted(ILogger logger, string node, ulong id);
}

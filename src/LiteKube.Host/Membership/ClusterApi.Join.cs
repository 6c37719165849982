using System.Globalization;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore;
using LiteKube.Host.Settings;
using Microsoft.AspNetCore.Http;

namespace LiteKube.Host.Membership;

// POST /litekube/v1/join and /litekube/v1/tokens: making and using join tokens.
internal sealed partial class ClusterApi
{
    /// <summary>How long a refused token waits before it is answered: with one join checked at a
    /// time, guessing tokens runs at a second per guess at most.</summary>
    public static readonly TimeSpan RefusalDelay = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim joins = new(1, 1);

    private async Task<IResult> CreateTokenAsync(HttpContext context)
    {
        if (Require(context, ClusterCaller.Admin) is { } refused)
        {
            return refused;
        }

        var (request, invalid) = await ReadAsync(context, ClusterApiJson.Default.TokenRequest);
        if (invalid is not null)
        {
            return invalid;
        }

        if (request!.TtlSeconds is < 1 or > 366 * 24 * 3600)
        {
            return Error(StatusCodes.Status400BadRequest, $"a token's time to live must be between 1 second and a year, not {request.TtlSeconds} s");
        }

        if (replicated is null && request.Role == JoinRole.ControlPlane)
        {
            // With an external datastore servers share the cluster through it (--token), not by joining.
            return Error(StatusCodes.Status400BadRequest, "this server uses an external datastore: start further servers with the same --datastore-endpoint and --token instead of joining");
        }

        try
        {
            var (token, record) = await tokens.CreateAsync(request.Role, TimeSpan.FromSeconds(request.TtlSeconds), request.Reusable, context.RequestAborted);
            return Ok(new TokenResponse(token, record.Expires, credentials.Authority.PinHash[..JoinString.ShortCaHashHexDigits], ClusterAddresses()),
                ClusterApiJson.Default.TokenResponse);
        }
        catch (DatastoreException e)
        {
            return Unavailable(e);
        }
    }

    private async Task<IResult> JoinAsync(HttpContext context)
    {
        var (request, invalid) = await ReadAsync(context, ClusterApiJson.Default.JoinRequest);
        if (invalid is not null)
        {
            return invalid;
        }

        if (Validate(request!) is { } problem)
        {
            return Error(StatusCodes.Status400BadRequest, problem);
        }

        if (request!.Role != JoinRole.ControlPlane || replicated is null)
        {
            return Error(StatusCodes.Status400BadRequest, replicated is null
                ? "this server uses an external datastore: start further servers with the same --datastore-endpoint and --token instead of joining"
                : "worker nodes cannot join yet: this LiteKube joins control-plane nodes only");
        }

        if (RequireLeader() is { } misdirected)
        {
            return misdirected;
        }

        await joins.WaitAsync(context.RequestAborted);
        try
        {
            return await AdmitAsync(request, context);
        }
        finally
        {
            joins.Release();
        }
    }

    private async Task<IResult> AdmitAsync(JoinRequest request, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var remote = context.Connection.RemoteIpAddress?.ToString();
        var (verdict, reservation) = await tokens.ReserveAsync(request.Token, request.Role, cancellationToken);
        if (reservation is null)
        {
            var reason = JoinTokenPolicy.Describe(verdict);
            LogJoinRefused(logger, request.NodeName, remote, reason);
            await Task.Delay(RefusalDelay, time, cancellationToken);
            return Error(StatusCodes.Status403Forbidden, reason);
        }

        try
        {
            var members = replicated!.Members();
            if (members.FirstOrDefault(m => m.Name == request.NodeName) is { } clash)
            {
                await tokens.ReleaseAsync(reservation, cancellationToken);
                return Error(StatusCodes.Status409Conflict,
                    $"a node named {request.NodeName} is already a member of this cluster ({clash.PeerAddress}); give the new node another --node-name, or run `litekube remove-node {request.NodeName}` first");
            }

            var id = await replicated.AddLearnerAsync(request.NodeName, request.PeerAddress, cancellationToken);
            await tokens.ConsumeAsync(reservation, cancellationToken);
            // A node removed earlier may come back under its name: its new certificates count.
            await store.DeleteRangeAsync(new DeleteRangeRequest(Key(RemovedNodesPrefix + request.NodeName)), cancellationToken);
            LogJoined(logger, request.NodeName, id, request.PeerAddress);
            var all = replicated.Members();
            return Ok(new JoinResponse(
                Hex(identity.ClusterId), Hex(id),
                credentials.Authority.CertificatePem, credentials.Authority.KeyPem, credentials.ServiceAccountKey.ToPem(),
                [.. all.Where(m => m.Id != id).Select(m => new MemberAddress(Hex(m.Id), m.Name, m.PeerAddress))]),
                ClusterApiJson.Default.JoinResponse);
        }
        catch (DatastoreException e)
        {
            await ReleaseQuietlyAsync(reservation);
            return e.Error == DatastoreError.InvalidArgument ? Error(StatusCodes.Status409Conflict, ServerHost.OneLine(e.Message)) : Unavailable(e);
        }
        catch (OperationCanceledException)
        {
            await ReleaseQuietlyAsync(reservation);
            throw;
        }
    }

    private async Task ReleaseQuietlyAsync(JoinTokenStore.Reservation reservation)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await tokens.ReleaseAsync(reservation, timeout.Token);
        }
        catch (Exception e) when (e is DatastoreException or OperationCanceledException)
        {
            // The reservation runs out on its own (JoinTokenStore.ReservationTime).
        }
    }

    private static string? Validate(JoinRequest request)
    {
        if (request.Token is null || request.Token.Length != JoinString.TokenHexDigits || !request.Token.All(char.IsAsciiHexDigit))
        {
            return $"the token must be {JoinString.TokenHexDigits} hex digits";
        }

        if (request.NodeName is null || !ServerSettingsLoader.IsValidNodeName(request.NodeName))
        {
            return $"'{request.NodeName}' is not a valid node name (lower-case letters, digits, '-' and '.')";
        }

        try
        {
            JoinString.ParseAddress(request.PeerAddress ?? "");
        }
        catch (FormatException e)
        {
            return $"the peer address is not HOST:PORT: {e.Message}";
        }

        return null;
    }

    private static string Hex(ulong id) => id.ToString("x16", CultureInfo.InvariantCulture);
}

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

        if (request!.Role != JoinRole.ControlPlane)
        {
            return Error(StatusCodes.Status400BadRequest, "worker nodes cannot join yet: this LiteKube joins control-plane nodes only");
        }

        // With an external datastore any server admits: there is no Raft membership to change.
        if (replicated is not null && RequireLeader() is { } misdirected)
        {
            return misdirected;
        }

        await joins.WaitAsync(context.RequestAborted);
        try
        {
            return replicated is null ? await AdmitToExternalAsync(request, context) : await AdmitAsync(request, context);
        }
        finally
        {
            joins.Release();
        }
    }

    /// <summary>The token's reservation, or the refusal to answer (after <see cref="RefusalDelay"/>).</summary>
    private async Task<(JoinTokenStore.Reservation? Reservation, IResult? Refusal)> ReserveAsync(JoinRequest request, HttpContext context)
    {
        var (verdict, reservation) = await tokens.ReserveAsync(request.Token, request.Role, context.RequestAborted);
        if (reservation is not null)
        {
            return (reservation, null);
        }

        var reason = JoinTokenPolicy.Describe(verdict);
        LogJoinRefused(logger, request.NodeName, context.Connection.RemoteIpAddress?.ToString(), reason);
        await Task.Delay(RefusalDelay, time, context.RequestAborted);
        return (null, Error(StatusCodes.Status403Forbidden, reason));
    }

    private async Task<IResult> AdmitAsync(JoinRequest request, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var (reservation, refusal) = await ReserveAsync(request, context);
        if (reservation is null)
        {
            return refusal!;
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
            await store.DeleteRangeAsync(new DeleteRangeRequest(Key(RemovedNodeRecords.KeyOf(request.NodeName))), cancellationToken);
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

    /// <summary>A server sharing an external etcd: the new one gets the cluster's keys and what
    /// it needs to reach the etcd; a Node of the same name already in the cluster is a clash.</summary>
    private async Task<IResult> AdmitToExternalAsync(JoinRequest request, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var (reservation, refusal) = await ReserveAsync(request, context);
        if (reservation is null)
        {
            return refusal!;
        }

        try
        {
            var node = await store.RangeAsync(new RangeRequest(Key($"/registry/nodes/{request.NodeName}")) { CountOnly = true }, cancellationToken);
            if (node.Count > 0)
            {
                await tokens.ReleaseAsync(reservation, cancellationToken);
                return Error(StatusCodes.Status409Conflict,
                    $"a node named {request.NodeName} is already in this cluster; give the new node another --node-name, or run `litekube remove-node {request.NodeName}` first");
            }

            var access = ExternalAccess();
            var id = NewMemberId();
            await tokens.ConsumeAsync(reservation, cancellationToken);
            await store.DeleteRangeAsync(new DeleteRangeRequest(Key(RemovedNodeRecords.KeyOf(request.NodeName))), cancellationToken);
            LogJoined(logger, request.NodeName, id, request.PeerAddress);
            return Ok(new JoinResponse(
                Hex(identity.ClusterId), Hex(id),
                credentials.Authority.CertificatePem, credentials.Authority.KeyPem, credentials.ServiceAccountKey.ToPem(),
                [], access),
                ClusterApiJson.Default.JoinResponse);
        }
        catch (DatastoreException e)
        {
            await ReleaseQuietlyAsync(reservation);
            return Unavailable(e);
        }
        catch (IOException e)
        {
            await ReleaseQuietlyAsync(reservation);
            return Error(StatusCodes.Status500InternalServerError, $"reading this server's datastore TLS files: {ServerHost.OneLine(e.Message)}");
        }
        catch (OperationCanceledException)
        {
            await ReleaseQuietlyAsync(reservation);
            throw;
        }
    }

    /// <summary>This server's way to the external etcd, files included (read on each join: an
    /// operator may have rotated them).</summary>
    private DatastoreAccess ExternalAccess()
    {
        var external = settings.ExternalDatastore!;
        static string? Read(string? path) => path is null ? null : File.ReadAllText(path);
        return new DatastoreAccess([.. external.Endpoints.Select(e => e.ToString().TrimEnd('/'))], Read(external.CaFile), Read(external.CertFile), Read(external.KeyFile));
    }

    private static ulong NewMemberId()
    {
        ulong id;
        do
        {
            id = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        }
        while (id == 0);
        return id;
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

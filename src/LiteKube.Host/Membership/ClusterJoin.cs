using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using LiteKube.Cluster.Membership;
using LiteKube.Cluster.Pki;
using LiteKube.Host.Tls;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host.Membership;

/// <summary>
/// The joining side of <c>--join HOST:PORT/TOKEN/CAHASH</c>, on a server's first start: fetch
/// the CA the server presents and check it against the pinned hash, then join over TLS that
/// trusts only that CA, and store what the cluster hands over (its keys, this member's ids, the
/// members to reach). Later starts find the stored credentials and do not join again.
/// </summary>
internal static partial class ClusterJoin
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Whether this data dir has joined (or belongs to) a cluster already.</summary>
    public static bool HasJoined(string dataDirectory) => File.Exists(JoinedCluster.PathIn(dataDirectory));

    public static async Task JoinAsync(ServerSettings settings, JoinString join, ILogger logger, CancellationToken cancellationToken)
    {
        var address = $"{join.Host}:{join.Port}";
        if (File.Exists(Path.Combine(settings.DataDirectory, MemberIdentity.FileName)))
        {
            throw new ServerStartupException(
                $"--join: {settings.DataDirectory} already holds a datastore of its own; a node joins with an empty --data-dir (run `litekube leave` to wipe this one, or choose another)");
        }

        LogJoining(logger, address);
        string authorityPem;
        try
        {
            authorityPem = await ClusterApiClient.FetchAuthorityUnverifiedAsync(address, CallTimeout, cancellationToken);
        }
        catch (ClusterApiException e)
        {
            throw new ServerStartupException($"joining {address}: {e.Message}", e);
        }

        using var authority = Parse(authorityPem, address);
        var pin = CertificateAuthority.ComputePinHash(authority);
        if (!join.Pins(pin))
        {
            throw new ServerStartupException(
                $"joining {address}: the server presents a cluster CA with hash {pin[..join.CaHash.Length]}, not the CA pinned by the join string ({join.CaHash}); check the join string and the address, it may be another cluster");
        }

        using var client = new ClusterApiClient(ClusterApiClient.TrustOnly(authority), CallTimeout);
        JoinResponse response;
        try
        {
            response = await client.PostAsync(address, ClusterApiPaths.Join,
                new JoinRequest(join.Token, settings.NodeName, settings.PeerAddress, JoinRole.ControlPlane),
                ClusterApiJson.Default.JoinRequest, ClusterApiJson.Default.JoinResponse, cancellationToken);
        }
        catch (ClusterApiException e)
        {
            throw new ServerStartupException($"joining {address}: {e.Message}", e);
        }

        Store(settings, response);
        LogJoined(logger, address, response.MemberId);
    }

    /// <summary>Keys first, then the member ids, then joined.json last: a crash in between
    /// leaves a data dir without joined.json, which the next start reports instead of
    /// founding a cluster of its own.</summary>
    private static void Store(ServerSettings settings, JoinResponse response)
    {
        SharedClusterKeys.Install(ClusterCredentials.Directory(settings.DataDirectory),
            new SharedKeys(response.CaCertificate, response.CaKey, response.ServiceAccountKey));
        if (response.Datastore is { } datastore)
        {
            JoinedDatastore.Save(settings.DataDirectory, datastore);
        }

        MemberIdentity.LoadOrCreate(settings.DataDirectory, new MemberIdentity(ParseId(response.MemberId), ParseId(response.ClusterId)));
        new JoinedCluster(response.Members).Save(settings.DataDirectory);
    }

    private static X509Certificate2 Parse(string pem, string address)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new ServerStartupException($"joining {address}: the server did not present a cluster CA (is it a litekube server's cluster port?)", e);
        }
    }

    private static ulong ParseId(string hex) => ulong.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 45, Level = LogLevel.Information, Message = "joining the cluster at {Address}")]
    private static partial void LogJoining(ILogger logger, string address);

    [LoggerMessage(EventId = 46, Level = LogLevel.Information, Message = "joined the cluster at {Address} as member {Member}; catching up")]
    private static partial void LogJoined(ILogger logger, string address, string member);
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LiteKube.Cluster.Pki;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace LiteKube.Host.Membership;

/// <summary>Who called the cluster port, by the client certificate the TLS handshake accepted
/// (only certificates of the cluster CA get that far).</summary>
internal enum ClusterCaller
{
    /// <summary>No certificate: may fetch the CA and join with a token, nothing else.</summary>
    Anonymous,

    /// <summary>Another server of the cluster (its cluster-port certificate).</summary>
    Peer,

    /// <summary>A cluster administrator (group system:masters), as <c>litekube add-node</c> is.</summary>
    Admin,

    /// <summary>Any other certificate of the cluster CA (a node agent, a user).</summary>
    Other,
}

/// <summary>Mutual TLS on the cluster port. Every server presents its cluster-port certificate
/// both ways; the other side accepts only certificates of the cluster CA. Host names are not
/// checked: the CA pins the cluster, and servers may be dialled at an address their certificate
/// was not issued for (a NAT, a renamed host) without weakening that.</summary>
internal sealed class ClusterTls(CertificateAuthority authority, X509Certificate2 peerCertificate, TimeProvider time)
{
    public HttpsConnectionAdapterOptions ServerOptions() => new()
    {
        ServerCertificate = peerCertificate,
        // Optional: a joining node has none yet. Endpoints decide what each caller may do.
        ClientCertificateMode = ClientCertificateMode.AllowCertificate,
        ClientCertificateValidation = (certificate, _, _) => authority.Signed(certificate, time.GetUtcNow()),
    };

    /// <summary>For dialling another server: Raft traffic and membership calls.</summary>
    public SslClientAuthenticationOptions PeerClientOptions() => new()
    {
        ClientCertificates = [peerCertificate],
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 presented && authority.Signed(presented, time.GetUtcNow()) && IsPeer(presented),
    };

    public static ClusterCaller CallerOf(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            return ClusterCaller.Anonymous;
        }

        var groups = Organizations(certificate);
        return groups.Contains(CertificateAuthority.PeerGroup) ? ClusterCaller.Peer
            : groups.Contains("system:masters") ? ClusterCaller.Admin
            : ClusterCaller.Other;
    }

    public static string NameOf(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    private static bool IsPeer(X509Certificate2 certificate) => Organizations(certificate).Contains(CertificateAuthority.PeerGroup);

    private static HashSet<string> Organizations(X509Certificate2 certificate) =>
        [.. certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")];
}

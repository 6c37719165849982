using System.Security.Cryptography.X509Certificates;
using LiteKube.Cluster.Pki;

namespace LiteKube.ApiServer.Security;

/// <summary>A client certificate signed by the cluster CA names the user (CN) and groups (O),
/// exactly as upstream's x509 authenticator reads them.</summary>
public sealed class ClientCertificateAuthenticator(CertificateAuthority authority, TimeProvider time)
{
    private const string OrganizationOid = "2.5.4.10";
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    public UserInfo? Authenticate(X509Certificate2? certificate)
    {
        if (certificate is null || !authority.Signed(certificate, time.GetUtcNow()) || !AllowsClientAuthentication(certificate))
        {
            return null;
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == OrganizationOid)
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .Where(g => g != "")
            .Append(SystemGroups.Authenticated)
            .Distinct()
            .ToList();
        return string.IsNullOrEmpty(name) ? null : new UserInfo(name, groups);
    }

    // As upstream verifies with ExtKeyUsageClientAuth: a serving certificate of the same CA
    // must not double as a user's credential.
    private static bool AllowsClientAuthentication(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return usages is null || usages.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == ClientAuthenticationOid);
    }
}

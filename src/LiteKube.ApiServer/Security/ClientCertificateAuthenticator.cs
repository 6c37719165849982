using System.Security.Cryptography.X509Certificates;
using LiteKube.Cluster.Pki;

namespace LiteKube.ApiServer.Security;

/// <summary>A client certificate signed by the cluster CA names the user (CN) and groups (O),
/// exactly as upstream's x509 authenticator reads them.</summary>
public sealed class ClientCertificateAuthenticator(CertificateAuthority authority, TimeProvider time)
{
    public UserInfo? Authenticate(X509Certificate2? certificate)
    {
        if (certificate is null || !authority.Signed(certificate, time.GetUtcNow()))
        {
            return null;
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .Where(g => g != "")
            .Append("system:authenticated")
            .ToList();
        return string.IsNullOrEmpty(name) ? null : new UserInfo(name, groups);
    }
}

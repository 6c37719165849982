using System.Security.Cryptography.X509Certificates;

namespace LiteKube.Cluster.Pki;

/// <summary>
/// Which node a certificate of the cluster CA belongs to, so that removing a node can revoke
/// every credential it held: the node's own client certificate names it (CN
/// <c>system:node:NAME</c>), its cluster-port certificate too (CN <c>NAME</c>, O
/// <see cref="CertificateAuthority.PeerGroup"/>), and the certificates it issues for others
/// (its admin kubeconfig's) carry it as an organizational unit <c>litekube-node:NAME</c>, which
/// Kubernetes ignores (it reads only CN and O).
/// </summary>
public static class CertificateOwner
{
    public const string OrganizationalUnitPrefix = "litekube-node:";
    private const string NodeUserPrefix = "system:node:";
    private const string OrganizationOid = "2.5.4.10";
    private const string OrganizationalUnitOid = "2.5.4.11";

    /// <summary>The node name, or null for a certificate that belongs to no node.</summary>
    public static string? NodeOf(X509Certificate2 certificate)
    {
        string? commonName = null;
        var peer = false;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            var value = rdn.GetSingleElementValue() ?? "";
            switch (rdn.GetSingleElementType().Value)
            {
                case OrganizationalUnitOid when value.StartsWith(OrganizationalUnitPrefix, StringComparison.Ordinal):
                    return value[OrganizationalUnitPrefix.Length..];
                case OrganizationOid when value == CertificateAuthority.PeerGroup:
                    peer = true;
                    break;
                case "2.5.4.3":
                    commonName = value;
                    break;
            }
        }

        if (commonName is null)
        {
            return null;
        }

        return commonName.StartsWith(NodeUserPrefix, StringComparison.Ordinal) ? commonName[NodeUserPrefix.Length..]
            : peer ? commonName
            : null;
    }
}

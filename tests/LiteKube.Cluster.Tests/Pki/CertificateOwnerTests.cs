using System.Net;
using System.Security.Cryptography.X509Certificates;
using LiteKube.Cluster.Pki;

namespace LiteKube.Cluster.Tests.Pki;

public sealed class CertificateOwnerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly CertificateAuthority Authority = CertificateAuthority.Create("test-ca", Now);

    [Fact]
    public void An_admin_certificate_issued_on_a_node_names_it_and_Kubernetes_still_reads_only_CN_and_O()
    {
        using var certificate = X509Certificate2.CreateFromPem(Authority.IssueClient("admin", ["system:masters"], Now, owner: "n1").CertificatePem);

        Assert.Equal("n1", CertificateOwner.NodeOf(certificate));
        Assert.Equal("admin", certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Contains("OU=litekube-node:n1", certificate.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_client_certificate_and_a_cluster_port_certificate_name_their_node()
    {
        using var node = X509Certificate2.CreateFromPem(Authority.IssueClient("system:node:n2", ["system:nodes"], Now).CertificatePem);
        using var peer = X509Certificate2.CreateFromPem(Authority.IssuePeer("n3", ["localhost"], [IPAddress.Loopback], Now).CertificatePem);

        Assert.Equal("n2", CertificateOwner.NodeOf(node));
        Assert.Equal("n3", CertificateOwner.NodeOf(peer));
    }

    [Fact]
    public void A_users_certificate_and_a_serving_certificate_belong_to_no_node()
    {
        using var user = X509Certificate2.CreateFromPem(Authority.IssueClient("alice", ["dev"], Now).CertificatePem);
        using var serving = X509Certificate2.CreateFromPem(Authority.IssueServer("kube-apiserver", ["localhost"], [IPAddress.Loopback], Now).CertificatePem);

        Assert.Null(CertificateOwner.NodeOf(user));
        Assert.Null(CertificateOwner.NodeOf(serving));
    }
}

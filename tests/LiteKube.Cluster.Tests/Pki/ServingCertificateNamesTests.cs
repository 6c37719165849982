using System.Net;
using LiteKube.Cluster.Pki;

namespace LiteKube.Cluster.Tests.Pki;

public sealed class ServingCertificateNamesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 4, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress ServiceIp = IPAddress.Parse("10.43.0.1");

    [Fact]
    public void Names_cover_node_addresses_loopback_hostname_and_the_kubernetes_service()
    {
        var names = ServingCertificateNames.For([IPAddress.Parse("192.168.1.10"), IPAddress.Parse("203.0.113.7")], "Edge-1", ServiceIp);

        Assert.Equal(["localhost", "edge-1", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"], names.DnsNames);
        Assert.Equal([IPAddress.Loopback, IPAddress.Parse("192.168.1.10"), IPAddress.Parse("203.0.113.7"), ServiceIp], names.Addresses);
    }

    [Fact]
    public void Unspecified_and_repeated_addresses_are_left_out()
    {
        var names = ServingCertificateNames.For([IPAddress.Any, IPAddress.Loopback, IPAddress.Loopback], "localhost", ServiceIp);

        Assert.Equal([IPAddress.Loopback, ServiceIp], names.Addresses);
        Assert.Equal(1, names.DnsNames.Count(n => n == "localhost"));
    }

    [Fact]
    public void A_certificate_with_every_name_is_kept()
    {
        using var ca = CertificateAuthority.Create("test-ca", Now);
        var names = ServingCertificateNames.For([IPAddress.Parse("127.0.0.9")], "node", ServiceIp);
        using var certificate = ca.IssueServer("kube-apiserver", names.DnsNames, names.Addresses, Now).ToX509();

        Assert.Null(ServingCertificateNames.ReissueReason(certificate, names, Now.AddDays(100)));
    }

    [Fact]
    public void A_certificate_missing_a_new_node_address_is_reissued_and_the_reason_names_it()
    {
        using var ca = CertificateAuthority.Create("test-ca", Now);
        var before = ServingCertificateNames.For([IPAddress.Parse("127.0.0.9")], "node", ServiceIp);
        using var certificate = ca.IssueServer("kube-apiserver", before.DnsNames, before.Addresses, Now).ToX509();
        var after = ServingCertificateNames.For([IPAddress.Parse("127.0.0.10")], "node", ServiceIp);

        var reason = ServingCertificateNames.ReissueReason(certificate, after, Now);

        Assert.Equal("it does not name 127.0.0.10", reason);
    }

    [Fact]
    public void A_certificate_missing_a_renamed_host_is_reissued()
    {
        using var ca = CertificateAuthority.Create("test-ca", Now);
        var before = ServingCertificateNames.For([], "old-name", ServiceIp);
        using var certificate = ca.IssueServer("kube-apiserver", before.DnsNames, before.Addresses, Now).ToX509();

        Assert.Equal("it does not name new-name", ServingCertificateNames.ReissueReason(certificate, ServingCertificateNames.For([], "new-name", ServiceIp), Now));
    }

    [Fact]
    public void A_certificate_close_to_expiry_is_reissued()
    {
        using var ca = CertificateAuthority.Create("test-ca", Now);
        var names = ServingCertificateNames.For([], "node", ServiceIp);
        using var certificate = ca.IssueServer("kube-apiserver", names.DnsNames, names.Addresses, Now).ToX509();
        var nearlyExpired = new DateTimeOffset(certificate.NotAfter) - ServingCertificateNames.RenewBefore + TimeSpan.FromHours(1);

        Assert.NotNull(ServingCertificateNames.ReissueReason(certificate, names, nearlyExpired));
        Assert.Null(ServingCertificateNames.ReissueReason(certificate, names, nearlyExpired - TimeSpan.FromDays(2)));
    }

    [Fact]
    public void Present_reads_the_names_back_from_the_certificate()
    {
        using var ca = CertificateAuthority.Create("test-ca", Now);
        using var certificate = ca.IssueServer("x", ["a.example", "b.example"], [IPAddress.Parse("10.0.0.1")], Now).ToX509();

        var present = ServingCertificateNames.Present(certificate);

        Assert.Equal(["a.example", "b.example"], present.DnsNames);
        Assert.Equal([IPAddress.Parse("10.0.0.1")], present.Addresses);
    }
}

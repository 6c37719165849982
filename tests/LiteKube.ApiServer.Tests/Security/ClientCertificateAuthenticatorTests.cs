using System.Net;
using LiteKube.ApiServer.Security;
using LiteKube.Cluster.Pki;
using Microsoft.Extensions.Time.Testing;

namespace LiteKube.ApiServer.Tests.Security;

public sealed class ClientCertificateAuthenticatorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _ca = CertificateAuthority.Create("cluster-ca", Start);
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public void A_certificate_of_the_cluster_ca_names_the_user_and_groups()
    {
        using var certificate = _ca.IssueClient("bob", ["devs", "ops"], Start).ToX509();

        var user = new ClientCertificateAuthenticator(_ca, _time).Authenticate(certificate);

        Assert.Equal("bob", user!.Name);
        Assert.Equal(["devs", "ops", "system:authenticated"], user.Groups);
    }

    [Fact]
    public void A_certificate_of_another_ca_is_refused()
    {
        using var other = CertificateAuthority.Create("other-ca", Start);
        using var certificate = other.IssueClient("admin", ["system:masters"], Start).ToX509();

        Assert.Null(new ClientCertificateAuthenticator(_ca, _time).Authenticate(certificate));
    }

    [Fact]
    public void A_serving_certificate_of_the_cluster_ca_is_not_a_user_credential()
    {
        using var serving = _ca.IssueServer("kube-apiserver", ["localhost"], [IPAddress.Loopback], Start).ToX509();

        Assert.Null(new ClientCertificateAuthenticator(_ca, _time).Authenticate(serving));
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        using var certificate = _ca.IssueClient("bob", [], Start).ToX509();
        var authenticator = new ClientCertificateAuthenticator(_ca, _time);

        _time.Advance(CertificateAuthority.LeafValidity + TimeSpan.FromDays(1));

        Assert.Null(authenticator.Authenticate(certificate));
    }

    public void Dispose() => _ca.Dispose();
}

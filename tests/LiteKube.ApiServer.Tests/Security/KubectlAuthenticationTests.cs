using LiteKube.ApiServer.Tests.Infrastructure;
using LiteKube.Cluster.Pki;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>Who the real kubectl clients are, as the server sees them.</summary>
public sealed class KubectlAuthenticationTests
{
    public static TheoryData<string> Clients() => KubectlClients.All();

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_without_valid_credentials_is_told_to_log_in_but_may_read_health_and_version(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        using var otherCa = CertificateAuthority.Create("other-ca", DateTimeOffset.UtcNow);
        var kubeconfigs = new[]
        {
            await server.WriteTokenKubeconfigAsync("nobody", null),
            await server.WriteTokenKubeconfigAsync("forged", "not-a-valid-token"),
            await server.WriteCertificateKubeconfigAsync("foreign", "admin", ["system:masters"], otherCa),
        };

        foreach (var kubeconfig in kubeconfigs)
        {
            var pods = await server.KubectlWithAsync(kubeconfig, kubectl, null, "get", "pods");
            Assert.NotEqual(0, pods.ExitCode);
            Assert.Contains("You must be logged in to the server", pods.StandardError);
        }

        var anonymous = kubeconfigs[0];
        var version = await server.KubectlWithAsync(anonymous, kubectl, null, "get", "--raw", "/version");
        KubectlClients.Succeeded(version);
        Assert.Contains("\"major\"", version.StandardOutput);
        var health = await server.KubectlWithAsync(anonymous, kubectl, null, "get", "--raw", "/readyz");
        KubectlClients.Succeeded(health);
        var api = await server.KubectlWithAsync(anonymous, kubectl, null, "get", "--raw", "/api");
        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains("Unauthorized", api.StandardError);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Whoami_names_certificate_and_token_file_users_with_their_groups(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync("s3cret,alice,uid-1,\"devs,ops\"\n");
        var bob = await server.WriteCertificateKubeconfigAsync("bob", "bob", ["testers"]);
        var alice = await server.WriteTokenKubeconfigAsync("alice", "s3cret");

        var bobIs = await server.KubectlWithAsync(bob, kubectl, null, "auth", "whoami");
        var aliceIs = await server.KubectlWithAsync(alice, kubectl, null, "auth", "whoami");

        KubectlClients.Succeeded(bobIs);
        Assert.Matches(@"Username\s+bob", bobIs.StandardOutput);
        Assert.Matches(@"Groups\s+\[testers system:authenticated\]", bobIs.StandardOutput);
        KubectlClients.Succeeded(aliceIs);
        Assert.Matches(@"Username\s+alice", aliceIs.StandardOutput);
        Assert.Matches(@"UID\s+uid-1", aliceIs.StandardOutput);
        Assert.Matches(@"Groups\s+\[devs ops system:authenticated\]", aliceIs.StandardOutput);
    }
}

using LiteKube.ApiServer.Registry.Controllers;
using LiteKube.ApiServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Tests.Controllers;

/// <summary>One in-process API server for the class; each client works in its own namespace.</summary>
public sealed class ServiceAccountServer : IAsyncLifetime
{
    public InProcessApiServer Server { get; private set; } = null!;

    public string CaBundle => Server.Services.GetRequiredService<RootCaPublisherOptions>().CaBundlePem;

    public async Task InitializeAsync() => Server = await InProcessApiServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>What kubectl sees of service accounts in a new namespace: the <c>default</c>
/// ServiceAccount and the <c>kube-root-ca.crt</c> ConfigMap appear and come back when deleted or
/// changed, pods get the projected token volume, and a pod naming a missing ServiceAccount is
/// refused with upstream's Forbidden Status. With the oldest and the newest client.</summary>
public sealed class KubectlServiceAccountTests(ServiceAccountServer fixture) : IClassFixture<ServiceAccountServer>
{
    public static TheoryData<string> OldestAndNewest() => ["/usr/lib/google-cloud-sdk/bin/kubectl.1.27", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"];

    private InProcessApiServer Server => fixture.Server;

    private async Task<string> KubectlOkAsync(string kubectl, string? stdin, params string[] args)
    {
        var result = await Server.KubectlAsync(kubectl, stdin, args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>Polls kubectl until its output satisfies <paramref name="done"/> (the controller
    /// acts asynchronously); fails after 30 s.</summary>
    private async Task<string> EventuallyAsync(string kubectl, Func<string, bool> done, params string[] args)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = await Server.KubectlAsync(kubectl, null, args);
            if (result.ExitCode == 0 && done(result.StandardOutput))
            {
                return result.StandardOutput;
            }

            Assert.True(DateTime.UtcNow < deadline, $"kubectl {string.Join(' ', args)} never got there: {result.StandardOutput} {result.StandardError}");
            await Task.Delay(100);
        }
    }

    private static string Namespace(string kubectl) => "sa-" + kubectl[^2..];

    [Theory]
    [MemberData(nameof(OldestAndNewest))]
    public async Task A_new_namespace_gets_the_default_service_account_and_the_root_ca_config_map_back_after_deletes(string kubectl)
    {
        var ns = Namespace(kubectl) + "-ctl";
        await KubectlOkAsync(kubectl, null, "create", "namespace", ns);

        var accounts = await EventuallyAsync(kubectl, o => o.Contains("default"), "get", "serviceaccounts", "-n", ns);
        Assert.StartsWith("NAME", accounts);
        var ca = await EventuallyAsync(kubectl, o => o.Length > 0, "get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", @"jsonpath={.data.ca\.crt}");
        Assert.Equal(fixture.CaBundle, ca);
        Assert.StartsWith("Contains a CA bundle", await KubectlOkAsync(kubectl, null, "get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", @"jsonpath={.metadata.annotations.kubernetes\.io/description}"));

        await KubectlOkAsync(kubectl, null, "delete", "serviceaccount", "default", "-n", ns);
        await KubectlOkAsync(kubectl, null, "delete", "configmap", "kube-root-ca.crt", "-n", ns);
        await EventuallyAsync(kubectl, o => o.Contains("default"), "get", "serviceaccounts", "-n", ns);
        await EventuallyAsync(kubectl, o => o == fixture.CaBundle, "get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", @"jsonpath={.data.ca\.crt}");

        await KubectlOkAsync(kubectl, null, "patch", "configmap", "kube-root-ca.crt", "-n", ns, "--type=merge", "-p", """{"data":{"ca.crt":"forged","extra":"x"}}""");
        var restored = await EventuallyAsync(kubectl, o => o == fixture.CaBundle, "get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", @"jsonpath={.data.ca\.crt}");
        Assert.Equal("", await KubectlOkAsync(kubectl, null, "get", "configmap", "kube-root-ca.crt", "-n", ns, "-o", "jsonpath={.data.extra}"));
        Assert.Equal(fixture.CaBundle, restored);
    }

    [Theory]
    [MemberData(nameof(OldestAndNewest))]
    public async Task A_pod_gets_the_projected_token_volume_and_a_missing_service_account_is_forbidden(string kubectl)
    {
        var ns = Namespace(kubectl) + "-pod";
        await KubectlOkAsync(kubectl, null, "create", "namespace", ns);
        await Server.WaitForServiceAccountAsync(ns);

        await KubectlOkAsync(kubectl, Pod(ns, "web"), "create", "-f", "-");
        var yaml = await KubectlOkAsync(kubectl, null, "get", "pod", "web", "-n", ns, "-o", "yaml");
        Assert.Contains("serviceAccountName: default", yaml);
        Assert.Matches(@"- name: kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}\n\s+projected:", yaml);
        Assert.Contains("expirationSeconds: 3607", yaml);
        Assert.Contains("name: kube-root-ca.crt", yaml);
        Assert.Contains("fieldPath: metadata.namespace", yaml);
        Assert.Matches(@"- mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n\s+name: kube-api-access-\w{5}\n\s+readOnly: true", yaml);

        var moved = await Server.KubectlAsync(kubectl, null, "patch", "pod", "web", "-n", ns, "-p", """{"spec":{"serviceAccountName":"quiet"}}""");
        Assert.NotEqual(0, moved.ExitCode);
        Assert.Contains("The Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than", moved.StandardError);
        Assert.Equal("pod/web labeled\n", await KubectlOkAsync(kubectl, null, "label", "pod", "web", "-n", ns, "tier=front"));

        await KubectlOkAsync(kubectl, null, "create", "serviceaccount", "quiet", "-n", ns);
        await KubectlOkAsync(kubectl, null, "patch", "serviceaccount", "quiet", "-n", ns, "-p", """{"automountServiceAccountToken":false}""");
        await KubectlOkAsync(kubectl, Pod(ns, "quiet", "serviceAccountName: quiet"), "create", "-f", "-");
        Assert.Equal("quiet|", await KubectlOkAsync(kubectl, null, "get", "pod", "quiet", "-n", ns, "-o", "jsonpath={.spec.serviceAccountName}|{.spec.volumes}"));

        var refused = await Server.KubectlAsync(kubectl, Pod(ns, "lost", "serviceAccountName: ghost"), "create", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"Error from server (Forbidden): error when creating \"STDIN\": pods \"lost\" is forbidden: error looking up service account {ns}/ghost: serviceaccount \"ghost\" not found", refused.StandardError);
        Assert.Contains("NotFound", (await Server.KubectlAsync(kubectl, null, "get", "pod", "lost", "-n", ns)).StandardError);
    }

    private static string Pod(string ns, string name, string extra = "") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          {extra}
          containers:
          - name: c
            image: nginx:1.27
        """;
}

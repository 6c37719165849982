using System.Text.Json.Nodes;
using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.Serialization;

/// <summary>One server for the class; kubectl 1.31 (JSON bodies) creates the reference objects
/// once, in its own namespace.</summary>
public sealed class KubectlProtobufFixture : IAsyncLifetime
{
    public InProcessApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessApiServer.StartAsync();
        await KubectlProtobufCreateTests.CreateAllAsync(Server, KubectlProtobufCreateTests.Client("1.31"));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// kubectl 1.32+ sends protobuf for its generator commands (create namespace, configmap,
/// secret, deployment, service, job, cronjob, role, rolebinding, quota, pdb...) and for
/// <c>auth can-i</c>. Every one succeeds, and the stored object is the one kubectl 1.31 (which
/// sends JSON) creates with the same command.
/// </summary>
public sealed class KubectlProtobufCreateTests(KubectlProtobufFixture fixture) : IClassFixture<KubectlProtobufFixture>
{
    internal static string Client(string minor) => $"/usr/lib/google-cloud-sdk/bin/kubectl.{minor}";

    private static string Ns(string kubectl) => "pb-" + kubectl[^2..];

    /// <summary>(kind path, name) of every object <see cref="CreateAllAsync"/> makes in its namespace.</summary>
    private static readonly (string Path, string Name)[] Created =
    [
        ("api/v1/namespaces/{ns}/configmaps", "cm1"),
        ("api/v1/namespaces/{ns}/secrets", "s1"),
        ("api/v1/namespaces/{ns}/secrets", "reg"),
        ("apis/apps/v1/namespaces/{ns}/deployments", "web"),
        ("apis/apps/v1/namespaces/{ns}/deployments", "zero"),
        ("api/v1/namespaces/{ns}/services", "svc1"),
        ("api/v1/namespaces/{ns}/services", "ext1"),
        ("api/v1/namespaces/{ns}/serviceaccounts", "sa1"),
        ("apis/batch/v1/namespaces/{ns}/jobs", "j1"),
        ("apis/batch/v1/namespaces/{ns}/cronjobs", "cj1"),
        ("apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", "r1"),
        ("apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", "rb1"),
        ("api/v1/namespaces/{ns}/resourcequotas", "q1"),
        ("apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", "pdb1"),
        ("api/v1/namespaces", "{ns}"),
        ("apis/rbac.authorization.k8s.io/v1/clusterroles", "{ns}-reader"),
        ("apis/rbac.authorization.k8s.io/v1/clusterrolebindings", "{ns}-readers"),
    ];

    internal static async Task CreateAllAsync(InProcessApiServer server, string kubectl)
    {
        var ns = Ns(kubectl);
        string[][] commands =
        [
            ["create", "namespace", ns],
            ["create", "configmap", "cm1", "--from-literal=a=1", "--from-literal=b=two"],
            ["create", "secret", "generic", "s1", "--from-literal=user=admin", "--from-literal=pw=s3cr3t"],
            ["create", "secret", "docker-registry", "reg", "--docker-server=r.example", "--docker-username=u", "--docker-password=p"],
            ["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80"],
            ["create", "deployment", "zero", "--image=busybox", "--replicas=0", "--", "sleep", "3600"],
            ["create", "service", "clusterip", "svc1", "--tcp=80:8080", "--tcp=443:8443"],
            ["create", "service", "externalname", "ext1", "--external-name=example.com"],
            ["create", "serviceaccount", "sa1"],
            ["create", "job", "j1", "--image=busybox", "--", "echo", "hi"],
            ["create", "cronjob", "cj1", "--image=busybox", "--schedule=*/5 * * * *", "--", "echo", "hi"],
            ["create", "role", "r1", "--verb=get,list", "--resource=pods"],
            ["create", "rolebinding", "rb1", "--role=r1", "--user=bob", $"--serviceaccount={ns}:sa1"],
            ["create", "quota", "q1", "--hard=pods=10,cpu=2,memory=1Gi"],
            ["create", "poddisruptionbudget", "pdb1", "--selector=app=web", "--min-available=1"],
            ["create", "clusterrole", $"{ns}-reader", "--verb=get", "--resource=nodes"],
            ["create", "clusterrolebinding", $"{ns}-readers", $"--clusterrole={ns}-reader", "--group=devs"],
        ];
        foreach (var command in commands)
        {
            var result = await server.KubectlAsync(kubectl, null, ["-n", ns, .. command]);
            Assert.True(result.ExitCode == 0, $"{kubectl} {string.Join(' ', command)}: {result.StandardError}");
        }
    }

    [Theory]
    [InlineData("1.32")]
    [InlineData("1.33")]
    public async Task Kubectl_creates_from_protobuf_what_kubectl_1_31_creates_from_json(string minor)
    {
        var kubectl = Client(minor);
        await CreateAllAsync(fixture.Server, kubectl);

        using var admin = fixture.Server.CreateAdminClient();
        foreach (var (path, name) in Created)
        {
            var reference = await StoredAsync(admin, path, name, Ns(Client("1.31")));
            var created = await StoredAsync(admin, path, name, Ns(kubectl));
            Assert.True(JsonNode.DeepEquals(reference, created),
                $"{path}/{name}:\n1.31:  {reference.ToJsonString()}\n{minor}:  {created.ToJsonString()}");
        }

        var canI = await fixture.Server.KubectlAsync(kubectl, null, "auth", "can-i", "create", "deployments.apps", "-n", Ns(kubectl));
        Assert.True(canI.ExitCode == 0, canI.StandardError);
        Assert.Equal("yes", canI.StandardOutput.Trim());
    }

    /// <summary>The stored object with what the server assigns per object (uid, times,
    /// versions, cluster IPs) and the test's namespace name replaced by placeholders.</summary>
    private static async Task<JsonObject> StoredAsync(HttpClient admin, string path, string name, string ns)
    {
        var url = "/" + path.Replace("{ns}", ns) + "/" + name.Replace("{ns}", ns);
        var text = await admin.GetStringAsync(url);
        var obj = JsonNode.Parse(text)!.AsObject();
        var metadata = obj["metadata"]!.AsObject();
        var uid = metadata["uid"]!.GetValue<string>();
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields" })
        {
            metadata.Remove(field);
        }

        if (obj["spec"] is JsonObject spec)
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }

        return JsonNode.Parse(obj.ToJsonString().Replace(uid, "<uid>").Replace(ns, "<ns>"))!.AsObject();
    }
}

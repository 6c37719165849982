using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary><c>kubectl create &lt;kind&gt;</c> generators (protobuf bodies from kubectl 1.32)
/// and <c>create token</c>, against the published binary.</summary>
public sealed class KubectlCreateTests(KubectlServerFixture server) : IClassFixture<KubectlServerFixture>
{
    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Create_makes_each_kind_kubectl_has_a_generator_for(int minor)
    {
        var ns = $"create-{minor}";
        Assert.Equal($"namespace/{ns} created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "namespace", ns)));
        Assert.Equal("deployment.apps/web created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "deployment", "web", "-n", ns, "--image", "nginx:1.27", "--replicas", "2", "--port", "80")));
        Assert.Equal("configmap/settings created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "configmap", "settings", "-n", ns, "--from-literal", "color=blue")));
        Assert.Equal("secret/password created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "secret", "generic", "password", "-n", ns, "--from-literal", "password=s3cret")));
        Assert.Equal("service/web created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "service", "clusterip", "web", "-n", ns, "--tcp", "80:8080")));
        Assert.Equal("serviceaccount/robot created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "serviceaccount", "robot", "-n", ns)));
        Assert.Equal("role.rbac.authorization.k8s.io/reader created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "role", "reader", "-n", ns, "--verb", "get,list", "--resource", "pods")));
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/robot-reads created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "rolebinding", "robot-reads", "-n", ns, "--role", "reader", "--serviceaccount", $"{ns}:robot")));
        Assert.Equal("job.batch/once created\n", Succeeded(await server.KubectlAsync(minor, null, "create", "job", "once", "-n", ns, "--image", "busybox:1.36", "--", "echo", "hi")));

        var fields = Succeeded(await server.KubectlAsync(minor, null, "get", "deployment/web", "configmap/settings", "secret/password", "service/web", "rolebinding/robot-reads", "job/once", "-n", ns,
            "-o", "jsonpath={range .items[*]}{.kind}:{.spec.replicas}{.data.color}{.data.password}{.spec.ports[0].targetPort}{.roleRef.name}{.spec.template.spec.containers[0].command[0]}{\"\\n\"}{end}"));
        Assert.Equal("Deployment:2\nConfigMap:blue\nSecret:czNjcmV0\nService:8080\nRoleBinding:reader\nJob:echo\n", fields);
        // kubectl sends `strategy: {}` (in protobuf from 1.32): upstream's defaults fill it in.
        var defaults = Succeeded(await server.KubectlAsync(minor, null, "get", "deployment", "web", "-n", ns, "-o",
            "jsonpath={.spec.strategy.type} {.spec.strategy.rollingUpdate.maxUnavailable} {.spec.strategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds}"));
        Assert.Equal("RollingUpdate 25% 25% 10 600", defaults);

        var missing = await server.KubectlAsync(minor, null, "create", "configmap", "settings", "-n", ns, "--from-literal", "color=red");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("configmaps \"settings\" already exists", missing.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KubectlClients.All), MemberType = typeof(KubectlClients))]
    public async Task Create_token_issues_a_token_the_server_accepts_as_the_service_account(int minor)
    {
        var ns = await server.NewNamespaceAsync($"token{minor}");
        Succeeded(await server.KubectlAsync(27, null, "create", "serviceaccount", "robot", "-n", ns));

        var token = Succeeded(await server.KubectlAsync(minor, null, "create", "token", "robot", "-n", ns, "--duration", "10m")).Trim();

        Assert.Equal(3, token.Split('.').Length);
        var asRobot = await server.KubectlAsync(minor, null, "--token", token, "--kubeconfig", "/dev/null", "--server", server.Node.ApiEndpoint,
            "--certificate-authority", Path.Combine(server.Node.DataDirectory, "tls", "ca.crt"), "auth", "can-i", "list", "pods", "-n", ns);
        // A fresh service account may do nothing yet: the answer is "no", given to it by name.
        Assert.Equal("no", asRobot.StandardOutput.Trim());
        var unknown = await server.KubectlAsync(minor, null, "create", "token", "nobody", "-n", ns);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("not found", unknown.StandardError, StringComparison.Ordinal);
    }
}

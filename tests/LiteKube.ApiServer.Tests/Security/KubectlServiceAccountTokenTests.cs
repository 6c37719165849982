using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary><c>kubectl create token</c> and what its token may do.</summary>
public sealed class KubectlServiceAccountTokenTests
{
    private const string Robot = """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: robot
          namespace: default
        """;

    private const string RobotViewBinding = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: robot-view
          namespace: default
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: view
        subjects:
        - kind: ServiceAccount
          name: robot
          namespace: default
        """;

    public static TheoryData<string> Clients() => KubectlClients.All();

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_token_from_kubectl_create_token_authenticates_as_the_service_account_until_it_is_deleted(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        await KubectlClients.AdminCreatesAsync(server, kubectl, ["serviceaccount", "robot"], Robot);

        var created = await server.KubectlAsync(kubectl, null, "create", "token", "robot");
        KubectlClients.Succeeded(created);
        var robot = await server.WriteTokenKubeconfigAsync("robot", created.StandardOutput.Trim());

        var denied = await server.KubectlWithAsync(robot, kubectl, null, "get", "pods");
        Assert.Contains("User \"system:serviceaccount:default:robot\" cannot list resource \"pods\"", denied.StandardError);

        await KubectlClients.AdminCreatesAsync(server, kubectl, ["rolebinding", "robot-view", "--clusterrole=view", "--serviceaccount=default:robot"], RobotViewBinding);
        KubectlClients.Succeeded(await server.KubectlWithAsync(robot, kubectl, null, "get", "pods"));
        var canCreate = await server.KubectlWithAsync(robot, kubectl, null, "auth", "can-i", "create", "pods");
        Assert.Equal("no", canCreate.StandardOutput.Trim());
        var whoami = await server.KubectlWithAsync(robot, kubectl, null, "auth", "whoami");
        KubectlClients.Succeeded(whoami);
        Assert.Matches(@"Username\s+system:serviceaccount:default:robot", whoami.StandardOutput);
        Assert.Matches(@"Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]", whoami.StandardOutput);

        KubectlClients.Succeeded(await server.KubectlAsync(kubectl, null, "delete", "serviceaccount", "robot", "--wait=false"));
        var revoked = await server.KubectlWithAsync(robot, kubectl, null, "get", "pods");
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.Contains("You must be logged in to the server", revoked.StandardError);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_create_token_refuses_durations_under_ten_minutes_and_unknown_accounts(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        await KubectlClients.AdminCreatesAsync(server, kubectl, ["serviceaccount", "robot"], Robot);

        var tooShort = await server.KubectlAsync(kubectl, null, "create", "token", "robot", "--duration=5m");
        var unknown = await server.KubectlAsync(kubectl, null, "create", "token", "nobody");
        var longer = await server.KubectlAsync(kubectl, null, "create", "token", "robot", "--duration=2h", "--audience=vault");

        Assert.NotEqual(0, tooShort.ExitCode);
        Assert.Contains("may not specify a duration less than 10 minutes", tooShort.StandardError);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("serviceaccounts \"nobody\" not found", unknown.StandardError);
        KubectlClients.Succeeded(longer);
        // A token for another audience is not a credential for this API server.
        var vault = await server.WriteTokenKubeconfigAsync("vault", longer.StandardOutput.Trim());
        Assert.Contains("You must be logged in to the server", (await server.KubectlWithAsync(vault, kubectl, null, "get", "pods")).StandardError);
    }
}

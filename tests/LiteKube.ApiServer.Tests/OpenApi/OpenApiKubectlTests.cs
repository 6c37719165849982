using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.OpenApi;

/// <summary>
/// Every kubectl client from 1.27 to 1.33 against the served OpenAPI documents. kubectl 1.27
/// and 1.28 download /openapi/v2 (protobuf) before anything else when they validate or explain;
/// all of them read /openapi/v3 for field validation support, explain and patches.
/// </summary>
public sealed class OpenApiKubectlTests
{
    public static TheoryData<string> Clients() => KubectlBasicsTests.Clients();

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Create_with_default_validation_creates_a_configmap(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();

        var created = await server.KubectlAsync(kubectl, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n", "create", "-f", "-");

        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.Contains("configmap/settings created", created.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task An_unknown_field_is_left_to_server_side_strict_validation(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();

        var manifest = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  foo: 1\n  ports:\n  - port: 80\n";
        var created = await server.KubectlAsync(kubectl, manifest, "create", "-f", "-", "-v=6");

        // The documents tell kubectl the server validates fields, so it sends the object with
        // fieldValidation=Strict instead of rejecting it with its own OpenAPI validation;
        // the server then answers for the unknown field.
        Assert.DoesNotContain("error validating data", created.StandardError);
        Assert.Contains(created.StandardError.Split('\n'), line =>
            line.Contains("POST", StringComparison.Ordinal) && line.Contains("/api/v1/namespaces/default/services?", StringComparison.Ordinal)
            && line.Contains("fieldValidation=Strict", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Explain_pod_spec_containers_prints_the_description_and_the_fields(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();

        var explained = await server.KubectlAsync(kubectl, null, "explain", "pod.spec.containers");

        Assert.True(explained.ExitCode == 0, explained.StandardError);
        Assert.Contains("containers <[]Container>", explained.StandardOutput);
        Assert.Contains("List of containers belonging to the pod.", explained.StandardOutput);
        Assert.Contains("name\t<string> -required-", explained.StandardOutput);
        Assert.Contains("ports\t<[]ContainerPort>", explained.StandardOutput);
        Assert.Contains("resources\t<ResourceRequirements>", explained.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Explain_deployment_spec_strategy_prints_its_fields(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();

        var explained = await server.KubectlAsync(kubectl, null, "explain", "deployment.spec.strategy");

        Assert.True(explained.ExitCode == 0, explained.StandardError);
        Assert.Contains("GROUP:      apps", explained.StandardOutput);
        Assert.Contains("strategy <DeploymentStrategy>", explained.StandardOutput);
        Assert.Contains("rollingUpdate\t<RollingUpdateDeployment>", explained.StandardOutput);
        Assert.Contains("type\t<string>", explained.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Explain_from_openapi_v2_reads_the_protobuf_document(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();

        var explained = await server.KubectlAsync(kubectl, null, "explain", "--output=plaintext-openapiv2", "deployment.spec.template.spec.containers.ports");

        Assert.True(explained.ExitCode == 0, explained.StandardError);
        Assert.Contains("RESOURCE: ports <[]Object>", explained.StandardOutput);
        Assert.Contains("containerPort\t<integer> -required-", explained.StandardOutput);
        Assert.Contains("List of ports to expose from the container.", explained.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Apply_computes_its_strategic_merge_patch_from_the_schemas(string kubectl)
    {
        await using var server = await InProcessApiServer.StartAsync();
        var manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n"
            + "  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: nginx\n"
            + "        ports:\n        - containerPort: 80\n        - containerPort: 81\n";
        var created = await server.KubectlAsync(kubectl, manifest, "apply", "-f", "-");
        Assert.True(created.ExitCode == 0, created.StandardError);

        // Whether or not the server applies it yet, the PATCH kubectl sends is what counts here.
        var changed = await server.KubectlAsync(kubectl, manifest.Replace("containerPort: 81", "containerPort: 82", StringComparison.Ordinal), "apply", "-f", "-", "-v=8");

        // kubectl 1.32+ logs the body as a quoted string: undo its escaping.
        var log = changed.StandardError.Replace("\\\"", "\"", StringComparison.Ordinal);
        Assert.DoesNotContain("error calculating patch from openapi", log);
        Assert.Contains("application/strategic-merge-patch+json", log);
        Assert.Contains("\"$setElementOrder/ports\":[{\"containerPort\":80},{\"containerPort\":82}]", log);
        Assert.Contains("{\"$patch\":\"delete\",\"containerPort\":81}", log);
    }
}

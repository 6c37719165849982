using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;

namespace LiteKube.ApiServer.Tests.Admission;

/// <summary>apps/v1 defaulting as upstream's pkg/apis/apps/v1/defaults.go: by leaf field, so an
/// empty object gets the same defaults as an absent one.</summary>
public sealed class AppsDefaultsTests
{
    private const string Template = """
        "selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}
        """;

    [Theory]
    [InlineData("\"strategy\":{},")]
    [InlineData("\"strategy\":null,")]
    [InlineData("\"strategy\":{\"type\":\"\"},")]
    [InlineData("")]
    public void A_deployment_with_an_empty_or_absent_strategy_rolls_25_percent(string strategy)
    {
        var spec = Defaulted("Deployment", strategy);
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""", spec["strategy"]!.ToJsonString());
        Assert.Equal((1, 10, 600), (spec["replicas"]!.GetValue<int>(), spec["revisionHistoryLimit"]!.GetValue<int>(), spec["progressDeadlineSeconds"]!.GetValue<int>()));
    }

    [Fact]
    public void A_deployments_own_values_are_kept_and_only_the_missing_ones_filled()
    {
        var spec = Defaulted("Deployment", """
            "replicas":3,"revisionHistoryLimit":2,"progressDeadlineSeconds":60,"strategy":{"rollingUpdate":{"maxSurge":1}},
            """);
        Assert.Equal("""{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"},"type":"RollingUpdate"}""", spec["strategy"]!.ToJsonString());
        Assert.Equal((3, 2, 60), (spec["replicas"]!.GetValue<int>(), spec["revisionHistoryLimit"]!.GetValue<int>(), spec["progressDeadlineSeconds"]!.GetValue<int>()));
    }

    [Fact]
    public void A_recreate_deployment_gets_no_rolling_update_parameters()
    {
        var spec = Defaulted("Deployment", "\"strategy\":{\"type\":\"Recreate\"},");
        Assert.Equal("""{"type":"Recreate"}""", spec["strategy"]!.ToJsonString());
    }

    [Fact]
    public void A_replica_set_gets_replicas_only()
    {
        var spec = Defaulted("ReplicaSet", "");
        Assert.Equal(1, spec["replicas"]!.GetValue<int>());
        Assert.Null(spec["revisionHistoryLimit"]);
        Assert.Null(spec["strategy"]);
    }

    [Fact]
    public void A_stateful_set_with_an_empty_update_strategy_rolls_from_partition_0_and_retains_claims()
    {
        var spec = Defaulted("StatefulSet", "\"updateStrategy\":{},\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Delete\"},");
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"partition":0}}""", spec["updateStrategy"]!.ToJsonString());
        Assert.Equal("""{"whenDeleted":"Delete","whenScaled":"Retain"}""", spec["persistentVolumeClaimRetentionPolicy"]!.ToJsonString());
        Assert.Equal(("OrderedReady", 1, 10), (spec["podManagementPolicy"]!.GetValue<string>(), spec["replicas"]!.GetValue<int>(), spec["revisionHistoryLimit"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("""{"type":"RollingUpdate"}""", """{"type":"RollingUpdate"}""")]
    [InlineData("""{"type":"OnDelete"}""", """{"type":"OnDelete"}""")]
    [InlineData("""{"type":"RollingUpdate","rollingUpdate":{}}""", """{"type":"RollingUpdate","rollingUpdate":{"partition":0}}""")]
    public void A_stateful_sets_explicit_update_type_gets_a_partition_only_with_rolling_update_parameters(string given, string expected)
    {
        // Upstream creates rollingUpdate only when it chose the type itself.
        var spec = Defaulted("StatefulSet", $"\"updateStrategy\":{given},");
        Assert.Equal(expected, spec["updateStrategy"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"updateStrategy\":{},")]
    [InlineData("")]
    public void A_daemon_set_rolls_one_unavailable_no_surge(string strategy)
    {
        var spec = Defaulted("DaemonSet", strategy);
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}""", spec["updateStrategy"]!.ToJsonString());
        Assert.Equal(10, spec["revisionHistoryLimit"]!.GetValue<int>());
        Assert.Null(spec["replicas"]);
    }

    [Fact]
    public void A_workloads_pod_template_gets_pod_defaults()
    {
        var spec = Defaulted("Deployment", "");
        var podSpec = spec["template"]!["spec"]!;
        Assert.Equal(("Always", "ClusterFirst", 30), (podSpec["restartPolicy"]!.GetValue<string>(), podSpec["dnsPolicy"]!.GetValue<string>(),
            podSpec["terminationGracePeriodSeconds"]!.GetValue<int>()));
    }

    private static JsonObject Defaulted(string kind, string specFields)
    {
        var obj = JsonNode.Parse("{\"metadata\":{\"name\":\"w\"},\"spec\":{" + specFields + Template + "}}")!.AsObject();
        var strategy = new WorkloadStrategy(kind);
        strategy.Default(obj);
        var errors = new List<LiteKube.ApiServer.Http.FieldError>();
        strategy.Validate(obj, errors);
        Assert.Empty(errors);
        return obj["spec"]!.AsObject();
    }
}

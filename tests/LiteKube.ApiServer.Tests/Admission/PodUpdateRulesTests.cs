using System.Text.Json.Nodes;
using LiteKube.ApiServer.Admission;

namespace LiteKube.ApiServer.Tests.Admission;

/// <summary>Upstream's pod update validation: the spec is fixed but for images, a lower
/// activeDeadlineSeconds, added tolerations and scheduling gates.</summary>
public sealed class PodUpdateRulesTests
{
    private const string Stored = """
        {"serviceAccountName":"default","serviceAccount":"default","activeDeadlineSeconds":60,
         "containers":[{"name":"c","image":"nginx:1","volumeMounts":[{"name":"kube-api-access-abcde","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
         "tolerations":[{"key":"a","operator":"Exists"}],
         "volumes":[{"name":"kube-api-access-abcde","projected":{"sources":[]}}]}
        """;

    private static string[] Errors(Action<JsonObject> change)
    {
        var old = JsonNode.Parse(Stored)!.AsObject();
        var updated = old.DeepClone().AsObject();
        change(updated);
        return [.. PodUpdateRules.Validate(old, updated).Select(e => $"{e.Field}: {e.Type}: {e.Detail}")];
    }

    [Fact]
    public void Images_a_lower_deadline_and_added_tolerations_may_change()
    {
        Assert.Empty(Errors(spec =>
        {
            spec["containers"]![0]!["image"] = "nginx:2";
            spec["activeDeadlineSeconds"] = 30;
            spec["tolerations"]!.AsArray().Add(new JsonObject { ["key"] = "b", ["operator"] = "Exists" });
        }));
    }

    [Fact]
    public void The_service_account_may_not_change()
    {
        var error = Assert.Single(Errors(spec => spec["serviceAccountName"] = "robot"));
        Assert.StartsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`", error);
        Assert.EndsWith("changed: spec.serviceAccountName", error);
    }

    [Fact]
    public void The_token_volume_and_its_mounts_may_not_be_removed()
    {
        Assert.EndsWith("changed: spec.containers, spec.volumes", Assert.Single(Errors(spec =>
        {
            spec.Remove("volumes");
            spec["containers"]![0]!.AsObject().Remove("volumeMounts");
        })));
    }

    [Fact]
    public void A_higher_or_removed_deadline_and_a_removed_toleration_are_refused()
    {
        Assert.Equal(["spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value"], Errors(spec => spec["activeDeadlineSeconds"] = 120));
        Assert.Equal(["spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"], Errors(spec => spec.Remove("activeDeadlineSeconds")));
        Assert.Equal(["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"], Errors(spec => spec["tolerations"] = new JsonArray()));
    }

    [Fact]
    public void A_negative_grace_period_may_become_one()
    {
        var old = JsonNode.Parse("""{"terminationGracePeriodSeconds":-1,"containers":[]}""")!.AsObject();
        Assert.Empty(PodUpdateRules.Validate(old, JsonNode.Parse("""{"terminationGracePeriodSeconds":1,"containers":[]}""")!.AsObject()));
        Assert.Single(PodUpdateRules.Validate(old, JsonNode.Parse("""{"terminationGracePeriodSeconds":2,"containers":[]}""")!.AsObject()));
    }
}

using System.Text.Json.Nodes;
using k8s.Models;
using LiteKube.ApiServer.FieldManagement;

namespace LiteKube.ApiServer.Tests.Patching;

/// <summary>Ownership between an object and its Scale, and status writes owning status only.</summary>
public sealed class ScaleFieldsTests
{
    private const string Now = "2026-01-01T00:00:00Z";

    private static FieldSet Set(string fieldsV1) => FieldSet.FromFieldsV1(JsonNode.Parse(fieldsV1))!;

    [Fact]
    public void The_scale_sees_only_owners_of_the_replicas_and_a_scale_write_moves_them_back()
    {
        var parent = new List<ManagedFieldsEntry>
        {
            new("creator", "Update", "apps/v1", Now, null, Set("""{"f:spec":{"f:replicas":{},"f:template":{}}}""")),
            new("labeller", "Update", "apps/v1", Now, null, Set("""{"f:metadata":{"f:labels":{"f:a":{}}}}""")),
        };

        var view = ScaleFields.ToSubresource(parent);
        var owner = Assert.Single(view);
        Assert.Equal(("creator", "autoscaling/v1"), (owner.Manager, owner.ApiVersion));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", owner.Fields.ToFieldsV1().ToJsonString());

        var before = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 1 } };
        ManagedFieldsEntry.Write(before, view);
        var after = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3 } };
        var scaleEntries = FieldManager.Update(before, after, typeof(V1Scale), "kubectl", "autoscaling/v1", Now, "scale");
        var result = ScaleFields.ToParent(parent, scaleEntries, "apps/v1");

        Assert.Equal("""{"f:spec":{"f:template":{}}}""", result.Single(e => e.Manager == "creator").Fields.ToFieldsV1().ToJsonString());
        Assert.Contains(result, e => e.Manager == "labeller");
        var scaler = result.Single(e => e.Manager == "kubectl");
        Assert.Equal(("Update", "scale", "apps/v1"), (scaler.Operation, scaler.Subresource, scaler.ApiVersion));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", scaler.Fields.ToFieldsV1().ToJsonString());
    }

    [Fact]
    public void A_status_write_owns_the_status_it_changed_and_never_the_spec()
    {
        var old = JsonNode.Parse("""{"spec":{"replicas":1},"status":{"replicas":0}}""")!.AsObject();
        var updated = JsonNode.Parse("""{"spec":{"replicas":5},"status":{"replicas":1,"readyReplicas":1}}""")!.AsObject();

        var entry = Assert.Single(FieldManager.Update(old, updated, typeof(V1Deployment), "controller", "apps/v1", Now, "status"));

        Assert.Equal("""{"f:status":{"f:readyReplicas":{},"f:replicas":{}}}""", entry.Fields.ToFieldsV1().ToJsonString());
        Assert.Equal("status", entry.Subresource);
        var main = Assert.Single(FieldManager.Update(old, updated, typeof(V1Deployment), "editor", "apps/v1", Now));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", main.Fields.ToFieldsV1().ToJsonString());
    }
}

using System.Text.Json.Nodes;
using k8s.Models;
using LiteKube.ApiServer.FieldManagement;

namespace LiteKube.ApiServer.Tests.Patching;

/// <summary>Field ownership: the FieldsV1 sets, ownership on update, apply conflicts, force and removal.</summary>
public sealed class FieldManagerTests
{
    private const string Now = "2026-01-01T00:00:00Z";

    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Deployment(int replicas, string image, params int[] ports)
    {
        var portList = string.Join(",", ports.Select(p => "{\"containerPort\":" + p + "}"));
        return J("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},"
            + "\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
            + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"" + image + "\","
            + "\"ports\":[" + portList + "]}]}}}}");
    }

    [Fact]
    public void Fields_of_an_object_use_upstreams_fieldsv1_spelling()
    {
        var fields = ObjectFields.Of(Deployment(1, "nginx", 80), typeof(V1Deployment)).ToFieldsV1();
        var expected = J("""
            {"f:metadata":{"f:labels":{"f:app":{}}},
             "f:spec":{"f:replicas":{},"f:selector":{},
              "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
               "f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},
                "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, fields), fields.ToJsonString());
    }

    [Fact]
    public void Fieldsv1_reads_back_to_the_same_set()
    {
        var set = ObjectFields.Of(Deployment(1, "nginx", 80, 443), typeof(V1Deployment));
        var again = FieldSet.FromFieldsV1(set.ToFieldsV1())!;
        Assert.Equal(set.Paths().Select(FieldSet.Describe), again.Paths().Select(FieldSet.Describe));
        Assert.Contains(".spec.template.spec.containers[name=\"web\"].ports[containerPort=443,protocol=\"TCP\"].containerPort", set.Paths().Select(FieldSet.Describe));
        Assert.Null(FieldSet.FromFieldsV1(J("""{"x:bad":{}}""")));
        Assert.Null(FieldSet.FromFieldsV1(J("""{"k:not json":{}}""")));
    }

    [Fact]
    public void A_create_gives_the_creator_every_field_and_an_update_takes_only_what_it_changed()
    {
        var created = Deployment(1, "nginx", 80);
        ManagedFieldsEntry.Write(created, FieldManager.Update(null, created, typeof(V1Deployment), "creator", "apps/v1", Now));

        var edited = created.DeepClone().AsObject();
        edited["spec"]!["replicas"] = 3;
        edited["metadata"]!["labels"]!["tier"] = "front";
        var entries = FieldManager.Update(created, edited, typeof(V1Deployment), "editor", "apps/v1", Now);

        var creator = entries.Single(e => e.Manager == "creator");
        var editor = entries.Single(e => e.Manager == "editor");
        Assert.Equal([".metadata.labels.tier", ".spec.replicas"], editor.Fields.Paths().Select(FieldSet.Describe));
        Assert.False(creator.Fields.Contains(["f:spec", "f:replicas"]));
        Assert.True(creator.Fields.Contains(["f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image"]));
        Assert.Equal("Update", editor.Operation);
    }

    [Fact]
    public void An_update_that_changes_nothing_leaves_the_entries_and_their_times_alone()
    {
        var created = Deployment(1, "nginx", 80);
        ManagedFieldsEntry.Write(created, FieldManager.Update(null, created, typeof(V1Deployment), "creator", "apps/v1", Now));
        var entries = FieldManager.Update(created, created.DeepClone().AsObject(), typeof(V1Deployment), "other", "apps/v1", "2027-01-01T00:00:00Z");
        Assert.Equal(Now, Assert.Single(entries).Time);
    }

    [Fact]
    public void Apply_creates_then_another_manager_conflicts_on_a_changed_value_and_force_takes_it_over()
    {
        var first = FieldManager.Apply(null, Deployment(1, "nginx", 80), typeof(V1Deployment), "alice", "apps/v1", force: false, Now);
        Assert.Empty(first.Conflicts);
        var live = first.Object!;
        ManagedFieldsEntry.Write(live, first.Entries);
        Assert.Equal("Apply", Assert.Single(ManagedFieldsEntry.Read(live)).Operation);

        // The same values from another manager: shared ownership, no conflict.
        var same = FieldManager.Apply(live, Deployment(1, "nginx", 80), typeof(V1Deployment), "bob", "apps/v1", force: false, Now);
        Assert.Empty(same.Conflicts);

        var conflict = FieldManager.Apply(live, Deployment(2, "nginx:2", 80), typeof(V1Deployment), "bob", "apps/v1", force: false, Now);
        Assert.Equal(
            [".spec.replicas", ".spec.template.spec.containers[name=\"web\"].image"],
            conflict.Conflicts.Select(c => c.Field).Order(StringComparer.Ordinal));
        Assert.All(conflict.Conflicts, c => Assert.Equal("alice", c.Manager));
        Assert.Null(conflict.Object);

        var forced = FieldManager.Apply(live, Deployment(2, "nginx:2", 80), typeof(V1Deployment), "bob", "apps/v1", force: true, Now);
        Assert.Empty(forced.Conflicts);
        Assert.Equal(2, forced.Object!["spec"]!["replicas"]!.GetValue<int>());
        Assert.False(forced.Entries.Single(e => e.Manager == "alice").Fields.Contains(["f:spec", "f:replicas"]));
        Assert.True(forced.Entries.Single(e => e.Manager == "bob").Fields.Contains(["f:spec", "f:replicas"]));
    }

    [Fact]
    public void Fields_an_applier_drops_are_removed_unless_another_manager_owns_them()
    {
        var first = FieldManager.Apply(null, Deployment(1, "nginx", 80, 443), typeof(V1Deployment), "alice", "apps/v1", force: false, Now);
        var live = first.Object!;
        ManagedFieldsEntry.Write(live, first.Entries);

        var dropped = FieldManager.Apply(live, Deployment(1, "nginx", 80), typeof(V1Deployment), "alice", "apps/v1", force: false, Now);
        var ports = dropped.Object!["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]!.AsArray();
        Assert.Equal([80], ports.Select(p => p!["containerPort"]!.GetValue<int>()));

        // A label another manager also set stays when the applier drops it.
        var shared = FieldManager.Update(live, live.DeepClone().AsObject(), typeof(V1Deployment), "bob", "apps/v1", Now);
        var bobOwnsLabel = live.DeepClone().AsObject();
        bobOwnsLabel["metadata"]!["labels"]!["app"] = "web2";
        var entries = FieldManager.Update(live, bobOwnsLabel, typeof(V1Deployment), "bob", "apps/v1", Now);
        ManagedFieldsEntry.Write(bobOwnsLabel, entries);
        Assert.DoesNotContain(shared, e => e.Manager == "bob");
        var config = Deployment(1, "nginx", 80, 443);
        config["metadata"]!.AsObject().Remove("labels");
        var kept = FieldManager.Apply(bobOwnsLabel, config, typeof(V1Deployment), "alice", "apps/v1", force: false, Now);
        Assert.Equal("web2", kept.Object!["metadata"]!["labels"]!["app"]!.GetValue<string>());
    }

    [Fact]
    public void An_update_after_an_apply_takes_the_field_so_the_next_apply_conflicts()
    {
        var first = FieldManager.Apply(null, Deployment(1, "nginx", 80), typeof(V1Deployment), "kubectl", "apps/v1", force: false, Now);
        var live = first.Object!;
        ManagedFieldsEntry.Write(live, first.Entries);
        var edited = live.DeepClone().AsObject();
        edited["spec"]!["replicas"] = 5;
        ManagedFieldsEntry.Write(edited, FieldManager.Update(live, edited, typeof(V1Deployment), "kubectl-edit", "apps/v1", Now));

        var again = FieldManager.Apply(edited, Deployment(1, "nginx", 80), typeof(V1Deployment), "kubectl", "apps/v1", force: false, Now);
        var conflict = Assert.Single(again.Conflicts);
        Assert.Equal(("kubectl-edit", ".spec.replicas"), (conflict.Manager, conflict.Field));
    }
}

using System.Text.Json.Nodes;
using k8s.Models;
using LiteKube.ApiServer.Patching;

namespace LiteKube.ApiServer.Tests.Patching;

/// <summary>
/// Strategic merge patch on the built-in types, after the cases of upstream's strategicpatch
/// tests: containers merge by name, container ports by containerPort, finalizers as a set of
/// primitives, args and tolerations are replaced, labels merge as a map.
/// </summary>
public sealed class StrategicMergePatchTests
{
    private static JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();

    private static void AssertPatched(string original, string patch, string expected, Type? type = null)
    {
        var result = StrategicMergePatch.Apply(J(original), J(patch), type ?? typeof(V1Pod));
        Assert.True(JsonNode.DeepEquals(J(expected), result), $"expected {J(expected).ToJsonString()}\n     got {result.ToJsonString()}");
    }

    private static PatchException Fails(string original, string patch, Type? type = null) =>
        Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(J(original), J(patch), type ?? typeof(V1Pod)));

    [Fact]
    public void Maps_merge_key_by_key_and_null_deletes_a_field() => AssertPatched(
        """{"metadata":{"name":"p","labels":{"a":"1","b":"2"}},"spec":{"nodeName":"n1"}}""",
        """{"metadata":{"labels":{"b":null,"c":"3"}},"spec":{"nodeName":null,"hostname":"h"}}""",
        """{"metadata":{"name":"p","labels":{"a":"1","c":"3"}},"spec":{"hostname":"h"}}""");

    [Fact]
    public void A_null_for_a_field_the_object_lacks_is_ignored_and_not_stored() => AssertPatched(
        """{"metadata":{"name":"p"}}""",
        """{"metadata":{"labels":{"gone":null,"x":"1"}},"spec":{"nodeName":null}}""",
        """{"metadata":{"name":"p","labels":{"x":"1"}},"spec":{}}""");

    [Fact]
    public void Containers_merge_by_name_and_keep_fields_the_patch_does_not_name() => AssertPatched(
        """{"spec":{"containers":[{"name":"a","image":"a:1","args":["x","y"]},{"name":"b","image":"b:1"}]}}""",
        """{"spec":{"containers":[{"name":"b","image":"b:2","args":["z"]}]}}""",
        """{"spec":{"containers":[{"name":"a","image":"a:1","args":["x","y"]},{"name":"b","image":"b:2","args":["z"]}]}}""");

    [Fact]
    public void A_new_item_goes_before_the_items_the_patch_does_not_name_as_upstream_orders_it() => AssertPatched(
        """{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""",
        """{"spec":{"containers":[{"name":"c","image":"c"}]}}""",
        """{"spec":{"containers":[{"name":"c","image":"c"},{"name":"a"},{"name":"b"}]}}""");

    // kubectl apply's three-way patch: change one port, remove another, keep the order it gives.
    [Fact]
    public void Ports_merge_by_container_port_with_delete_directive_and_set_element_order() => AssertPatched(
        """{"spec":{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}]}]}}""",
        """
        {"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"web",
          "$setElementOrder/ports":[{"containerPort":8080}],
          "ports":[{"containerPort":8080},{"$patch":"delete","containerPort":80},{"$patch":"delete","containerPort":443}]}]}}
        """,
        """{"spec":{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":8080}]}]}}""");

    [Fact]
    public void Set_element_order_reorders_the_list_and_keeps_server_only_items_in_their_place() => AssertPatched(
        """{"spec":{"containers":[{"name":"1","o":"a"},{"name":"2","v":"2","o":"b"}]}}""",
        """{"spec":{"$setElementOrder/containers":[{"name":"4"},{"name":"1"},{"name":"2"},{"name":"3"}],"containers":[{"name":"4","v":"4"},{"name":"3","v":"3"}]}}""",
        """{"spec":{"containers":[{"name":"4","v":"4"},{"name":"1","o":"a"},{"name":"2","v":"2","o":"b"},{"name":"3","v":"3"}]}}""");

    [Fact]
    public void Set_element_order_alone_only_reorders() => AssertPatched(
        """{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}""",
        """{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"}]}}""",
        """{"spec":{"containers":[{"name":"b"},{"name":"c"},{"name":"a"}]}}""");

    [Fact]
    public void Deleting_an_item_the_object_lacks_stores_no_directive() => AssertPatched(
        """{"spec":{"containers":[{"name":"hello2"}]}}""",
        """{"spec":{"$setElementOrder/containers":[{"name":"hello"},{"name":"gone"}],"containers":[{"name":"hello"},{"$patch":"delete","name":"gone"}]}}""",
        """{"spec":{"containers":[{"name":"hello"},{"name":"hello2"}]}}""");

    [Fact]
    public void Directives_in_a_list_the_object_lacks_are_resolved_not_stored() => AssertPatched(
        """{"spec":{}}""",
        """{"spec":{"initContainers":[{"name":"i","image":"x","env":null},{"$patch":"delete","name":"old"}]}}""",
        """{"spec":{"initContainers":[{"name":"i","image":"x"}]}}""");

    [Fact]
    public void Replace_directive_in_a_list_makes_the_other_items_the_whole_list() => AssertPatched(
        """{"spec":{"containers":[{"name":"a","image":"a"},{"name":"b"}]}}""",
        """{"spec":{"containers":[{"name":"c","image":"c"},{"$patch":"replace"}]}}""",
        """{"spec":{"containers":[{"name":"c","image":"c"}]}}""");

    [Fact]
    public void Replace_directive_in_a_map_replaces_the_map() => AssertPatched(
        """{"metadata":{"labels":{"a":"1","b":"2"}}}""",
        """{"metadata":{"labels":{"$patch":"replace","c":"3"}}}""",
        """{"metadata":{"labels":{"c":"3"}}}""");

    [Fact]
    public void Delete_directive_in_a_map_empties_the_map() => AssertPatched(
        """{"spec":{"securityContext":{"runAsUser":1,"runAsGroup":2},"nodeName":"n"}}""",
        """{"spec":{"securityContext":{"$patch":"delete"}}}""",
        """{"spec":{"securityContext":{},"nodeName":"n"}}""");

    [Fact]
    public void Merge_directive_is_the_default_merge() => AssertPatched(
        """{"metadata":{"labels":{"a":"1"}},"spec":{"containers":[{"name":"a","image":"1"}]}}""",
        """{"metadata":{"labels":{"$patch":"merge","b":"2"}},"spec":{"containers":[{"$patch":"merge","name":"a","image":"2"}]}}""",
        """{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"containers":[{"name":"a","image":"2"}]}}""");

    [Fact]
    public void Lists_without_a_merge_strategy_are_replaced() => AssertPatched(
        """{"spec":{"tolerations":[{"key":"a"},{"key":"b"}],"containers":[{"name":"c","args":["1","2"]}]}}""",
        """{"spec":{"tolerations":[{"key":"c"}],"containers":[{"name":"c","args":["3"]}]}}""",
        """{"spec":{"tolerations":[{"key":"c"}],"containers":[{"name":"c","args":["3"]}]}}""");

    [Fact]
    public void Primitive_lists_with_merge_strategy_merge_as_a_set() => AssertPatched(
        """{"metadata":{"finalizers":["a","b"]}}""",
        """{"metadata":{"finalizers":["b","c"]}}""",
        """{"metadata":{"finalizers":["a","b","c"]}}""");

    [Fact]
    public void Delete_from_primitive_list_removes_every_copy_and_keeps_the_given_order() => AssertPatched(
        """{"metadata":{"finalizers":["1","2","3","3","4"]}}""",
        """{"metadata":{"$setElementOrder/finalizers":["1","2"],"$deleteFromPrimitiveList/finalizers":["3"]}}""",
        """{"metadata":{"finalizers":["1","2","4"]}}""");

    [Fact]
    public void Add_and_delete_in_one_primitive_list() => AssertPatched(
        """{"metadata":{"finalizers":["1","2","3"]}}""",
        """{"metadata":{"$setElementOrder/finalizers":["1","2","4"],"$deleteFromPrimitiveList/finalizers":["3"],"finalizers":["4"]}}""",
        """{"metadata":{"finalizers":["1","2","4"]}}""");

    [Fact]
    public void Delete_from_a_primitive_list_the_object_lacks_changes_nothing() => AssertPatched(
        """{"metadata":{"name":"x"}}""",
        """{"metadata":{"$deleteFromPrimitiveList/finalizers":["3"]}}""",
        """{"metadata":{"name":"x"}}""");

    // kubectl apply switching a Deployment from RollingUpdate to Recreate.
    [Fact]
    public void Retain_keys_clears_the_fields_it_does_not_list() => AssertPatched(
        """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"replicas":2}}""",
        """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}""",
        """{"spec":{"strategy":{"type":"Recreate"},"replicas":2}}""",
        typeof(V1Deployment));

    [Fact]
    public void Retain_keys_in_a_merged_list_item_switches_a_volume_source() => AssertPatched(
        """{"spec":{"volumes":[{"name":"v","emptyDir":{}},{"name":"w","emptyDir":{}}]}}""",
        """{"spec":{"volumes":[{"name":"v","$retainKeys":["configMap","name"],"configMap":{"name":"cm"}}]}}""",
        """{"spec":{"volumes":[{"name":"v","configMap":{"name":"cm"}},{"name":"w","emptyDir":{}}]}}""");

    [Fact]
    public void Retain_keys_must_list_every_field_the_patch_sets() =>
        Assert.True(Fails("""{"spec":{"strategy":{}}}""", """{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}""", typeof(V1Deployment)).IsMalformed);

    [Fact]
    public void A_field_with_another_json_type_is_replaced() => AssertPatched(
        """{"spec":{"containers":"oops","nodeName":{"x":1}}}""",
        """{"spec":{"containers":[{"name":"a"}],"nodeName":"n"}}""",
        """{"spec":{"containers":[{"name":"a"}],"nodeName":"n"}}""");

    [Fact]
    public void The_inputs_are_not_changed()
    {
        var original = J("""{"spec":{"containers":[{"name":"a","image":"1"}]}}""");
        var patch = J("""{"spec":{"containers":[{"name":"a","image":"2"},{"name":"b"}]}}""");
        var originalText = original.ToJsonString();
        var patchText = patch.ToJsonString();
        StrategicMergePatch.Apply(original, patch, typeof(V1Pod));
        Assert.Equal(originalText, original.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
    }

    [Theory]
    [InlineData("""{"spec":{"containers":[{"image":"no-name"}]}}""", false)]
    [InlineData("""{"spec":{"containers":[{"$patch":"delete","image":"no-name"}]}}""", false)]
    [InlineData("""{"spec":{"containers":[{"name":"a","$patch":"explode"}]}}""", true)]
    [InlineData("""{"spec":{"$patch":"explode"}}""", true)]
    [InlineData("""{"spec":{"containers":[["nested"]]}}""", false)]
    [InlineData("""{"spec":{"containers":[{"name":"a"},"text"]}}""", false)]
    [InlineData("""{"spec":{"$setElementOrder/containers":{"name":"a"}}}""", true)]
    [InlineData("""{"spec":{"$setElementOrder/containers":[{"image":"x"}]}}""", false)]
    [InlineData("""{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"z"}]}}""", true)]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}""", true)]
    [InlineData("""{"spec":{"$retainKeys":"type"}}""", true)]
    public void Bad_patches_fail_with_malformed_meaning_400_and_the_rest_422(string patch, bool malformed) =>
        Assert.Equal(malformed, Fails("""{"spec":{"containers":[{"name":"a"}]},"metadata":{"finalizers":["a"]}}""", patch).IsMalformed);

    [Fact]
    public void Replace_directive_at_the_top_replaces_the_object() => AssertPatched(
        """{"metadata":{"name":"a"},"spec":{"nodeName":"n"}}""",
        """{"$patch":"replace","metadata":{"name":"b"}}""",
        """{"metadata":{"name":"b"}}""");
}

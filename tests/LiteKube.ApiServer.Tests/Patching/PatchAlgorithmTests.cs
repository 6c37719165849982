using System.Text.Json.Nodes;
using LiteKube.ApiServer.Patching;

namespace LiteKube.ApiServer.Tests.Patching;

public sealed class PatchAlgorithmTests
{
    private static JsonNode J(string json) => JsonNode.Parse(json)!;

    // RFC 7386 appendix A.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    public void Merge_patch_follows_rfc_7386(string target, string patch, string expected) =>
        Assert.True(JsonNode.DeepEquals(J(expected), JsonMergePatch.Apply(J(target), J(patch))), JsonMergePatch.Apply(J(target), J(patch))!.ToJsonString());

    [Fact]
    public void Json_patch_applies_every_operation_in_order()
    {
        var doc = J("""{"metadata":{"labels":{"a/b":"1"}},"spec":{"list":[1,2,3]}}""");
        var patch = J("""
            [{"op":"add","path":"/spec/list/-","value":4},
             {"op":"remove","path":"/spec/list/0"},
             {"op":"replace","path":"/metadata/labels/a~1b","value":"2"},
             {"op":"copy","from":"/spec/list/0","path":"/spec/first"},
             {"op":"move","from":"/spec/first","path":"/spec/moved"},
             {"op":"test","path":"/spec/moved","value":2}]
            """).AsArray();
        var result = JsonPatch.Apply(doc, patch);
        Assert.True(JsonNode.DeepEquals(J("""{"metadata":{"labels":{"a/b":"2"}},"spec":{"list":[2,3,4],"moved":2}}"""), result), result.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/missing"}]""")]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""")]
    [InlineData("""[{"op":"add","path":"/list/9","value":1}]""")]
    [InlineData("""[{"op":"jump","path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""")]
    [InlineData("""[{"op":"replace","path":"/a"}]""")]
    public void A_failing_json_patch_operation_fails_the_whole_patch(string patch) =>
        Assert.Throws<PatchException>(() => JsonPatch.Apply(J("""{"a":1,"list":[]}"""), J(patch).AsArray()));
}

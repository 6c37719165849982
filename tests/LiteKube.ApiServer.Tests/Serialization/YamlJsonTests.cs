using System.Text.Json.Nodes;
using LiteKube.ApiServer.Serialization;

namespace LiteKube.ApiServer.Tests.Serialization;

public sealed class YamlJsonTests
{
    private static string Json(string yaml) => YamlJson.Parse(yaml)?.ToJsonString() ?? "null";

    [Theory]
    // Plain scalars: YAML 1.1 words and numbers as go-yaml v2 resolves them.
    [InlineData("v: true", """{"v":true}""")]
    [InlineData("v: False", """{"v":false}""")]
    [InlineData("v: yes", """{"v":true}""")]
    [InlineData("v: NO", """{"v":false}""")]
    [InlineData("v: on", """{"v":true}""")]
    [InlineData("v: Off", """{"v":false}""")]
    [InlineData("v: y", """{"v":true}""")]
    [InlineData("v: tRue", """{"v":"tRue"}""")]
    [InlineData("v: ~", """{"v":null}""")]
    [InlineData("v: null", """{"v":null}""")]
    [InlineData("v: NULL", """{"v":null}""")]
    [InlineData("v:", """{"v":null}""")]
    [InlineData("v: 42", """{"v":42}""")]
    [InlineData("v: -7", """{"v":-7}""")]
    [InlineData("v: +7", """{"v":7}""")]
    [InlineData("v: 1_000", """{"v":1000}""")]
    [InlineData("v: 0x1F", """{"v":31}""")]
    [InlineData("v: 0o17", """{"v":15}""")]
    [InlineData("v: 0755", """{"v":493}""")]
    [InlineData("v: 0b101", """{"v":5}""")]
    [InlineData("v: 08", """{"v":8}""")]
    [InlineData("v: 9223372036854775807", """{"v":9223372036854775807}""")]
    [InlineData("v: 18446744073709551615", """{"v":18446744073709551615}""")]
    [InlineData("v: 0x1FFFFFFFFFFFFFFFFF", """{"v":590295810358705651711}""")]
    [InlineData("v: 1.5", """{"v":1.5}""")]
    [InlineData("v: 3.0", """{"v":3}""")]
    [InlineData("v: 1e3", """{"v":1000}""")]
    [InlineData("v: .5", """{"v":0.5}""")]
    [InlineData("v: -1.25e-2", """{"v":-0.0125}""")]
    [InlineData("v: 1e400", """{"v":"1e400"}""")]
    [InlineData("v: 1.2.3", """{"v":"1.2.3"}""")]
    [InlineData("v: 0x", """{"v":"0x"}""")]
    [InlineData("v: -x", """{"v":"-x"}""")]
    [InlineData("v: [x, y, n]", """{"v":["x",true,false]}""")]
    [InlineData("v: 2024-01-02", """{"v":"2024-01-02"}""")]
    [InlineData("v: 2024-01-02T03:04:05Z", """{"v":"2024-01-02T03:04:05Z"}""")]
    [InlineData("v: 10m", """{"v":"10m"}""")]
    [InlineData("v: 500Mi", """{"v":"500Mi"}""")]
    // Quoted and block scalars are always strings.
    [InlineData("v: \"true\"", """{"v":"true"}""")]
    [InlineData("v: '42'", """{"v":"42"}""")]
    [InlineData("v: \"\"", """{"v":""}""")]
    [InlineData("v: 'null'", """{"v":"null"}""")]
    [InlineData("v: |\n  a\n  b\n", """{"v":"a\nb\n"}""")]
    [InlineData("v: >-\n  a\n  b\n", """{"v":"a b"}""")]
    // Explicit tags.
    [InlineData("v: !!str 42", """{"v":"42"}""")]
    [InlineData("v: !!int \"42\"", """{"v":42}""")]
    [InlineData("v: !!float 1", """{"v":1}""")]
    [InlineData("v: !!bool 'yes'", """{"v":true}""")]
    [InlineData("v: ! 12", """{"v":"12"}""")]
    [InlineData("v: !custom 12", """{"v":"12"}""")]
    public void Scalars_are_typed_as_upstream_types_them(string yaml, string json) =>
        Assert.Equal(json, Json(yaml));

    [Theory]
    [InlineData("1: a", """{"1":"a"}""")]
    [InlineData("yes: a", """{"true":"a"}""")]
    [InlineData("'yes': a", """{"yes":"a"}""")]
    [InlineData("0x10: a", """{"16":"a"}""")]
    [InlineData("1.5: a", """{"1.5":"a"}""")]
    public void Scalar_keys_become_strings(string yaml, string json) => Assert.Equal(json, Json(yaml));

    [Theory]
    [InlineData("null: a")]
    [InlineData("~: a")]
    [InlineData("? [a, b]\n: c")]
    [InlineData("? {a: b}\n: c")]
    public void Null_and_collection_keys_are_refused(string yaml) =>
        Assert.Throws<YamlJsonException>(() => YamlJson.Parse(yaml));

    [Fact]
    public void A_manifest_becomes_the_json_of_the_same_object()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web, "tier": front}
            spec:
              replicas: 3
              template:
                spec:
                  containers:
                  - name: nginx
                    image: "nginx:1.27"
                    ports:
                    - containerPort: 80
                    env: []
            """;
        Assert.Equal(
            """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","tier":"front"}},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}],"env":[]}]}}}}""",
            Json(yaml));
    }

    [Fact]
    public void Json_is_yaml_and_comes_through_unchanged()
    {
        const string json = """{"a":[1,2.5,"x",true,null,{"b":{}}],"c":"d\u00e9"}""";
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), YamlJson.Parse(json)));
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_are_resolved()
    {
        const string yaml = """
            base: &base {a: 1, b: 2}
            list: &l [x, z]
            copy: *base
            again: *l
            merged:
              <<: *base
              b: 3
            """;
        Assert.Equal(
            """{"base":{"a":1,"b":2},"list":["x","z"],"copy":{"a":1,"b":2},"again":["x","z"],"merged":{"b":3,"a":1}}""",
            Json(yaml));
    }

    [Fact]
    public void Alias_copies_are_independent()
    {
        var node = YamlJson.Parse("a: &x {k: v}\nb: *x")!;
        node["b"]!["k"] = "changed";
        Assert.Equal("v", node["a"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public void An_alias_bomb_is_refused()
    {
        var yaml = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append($"a{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        }

        var e = Assert.Throws<YamlJsonException>(() => YamlJson.Parse(yaml.ToString()));
        Assert.Contains("aliases", e.Message);
    }

    [Theory]
    [InlineData("a: *nowhere")]
    [InlineData("a: &x [*x]")]
    public void Unknown_and_recursive_aliases_are_refused(string yaml) =>
        Assert.Throws<YamlJsonException>(() => YamlJson.Parse(yaml));

    [Fact]
    public void More_than_one_document_is_refused()
    {
        var e = Assert.Throws<YamlJsonException>(() => YamlJson.Parse("a: 1\n---\nb: 2\n"));
        Assert.Contains("more than one", e.Message);
    }

    [Fact]
    public void A_leading_document_marker_is_fine() => Assert.Equal("""{"a":1}""", Json("---\na: 1\n...\n"));

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void An_empty_body_is_null(string yaml) => Assert.Null(YamlJson.Parse(yaml));

    [Theory]
    [InlineData("v: .inf")]
    [InlineData("v: -.Inf")]
    [InlineData("v: .nan")]
    [InlineData("v: !!int abc")]
    [InlineData("a: b: c")]
    [InlineData("a: [1, 2")]
    [InlineData("a:\n  - b\n c: d")]
    [InlineData("\"unterminated")]
    [InlineData("a: !!binary '%%%'")]
    [InlineData("<<: 5")]
    public void Bad_yaml_is_an_error_with_a_message(string yaml)
    {
        var e = Assert.Throws<YamlJsonException>(() => YamlJson.Parse(yaml));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var e = Assert.Throws<YamlJsonException>(() => YamlJson.Parse(new string('[', 100_000)));
        Assert.Contains("deeper", e.Message);
    }

    [Fact]
    public void Duplicate_keys_are_reported_and_the_last_wins()
    {
        var node = YamlJson.Parse("metadata:\n  labels:\n    a: 1\n    a: 2\nlist:\n- x: 1\n  x: 2\n", out var duplicates);
        Assert.Equal(2, node!["metadata"]!["labels"]!["a"]!.GetValue<long>());
        Assert.Equal(["metadata.labels.a", "list[0].x"], duplicates);
    }

    [Fact]
    public void Invalid_utf8_is_an_error() =>
        Assert.Throws<YamlJsonException>(() => YamlJson.Parse(new byte[] { (byte)'a', (byte)':', (byte)' ', 0xC3, 0x28 }, out _));

    [Fact]
    public void Utf16_with_a_byte_order_mark_is_read()
    {
        var bytes = new byte[] { 0xFF, 0xFE }.Concat(System.Text.Encoding.Unicode.GetBytes("a: b")).ToArray();
        Assert.Equal("""{"a":"b"}""", YamlJson.Parse(bytes, out _)!.ToJsonString());
    }
}

using System.Text.Json.Nodes;
using LiteKube.ApiServer.Serialization.Protobuf;

namespace LiteKube.ApiServer.Tests.Serialization;

/// <summary>The schema-driven decoder on hand-built messages: the Kubernetes special types,
/// zero values, inlined structs, packed numbers, unknown and malformed fields.</summary>
public sealed class ProtobufDecoderTests
{
    private static ProtoMessageSchema Message(string name) => ProtoSchemaTable.Kubernetes.Find(name)!;

    private static string Decode(string message, params byte[] bytes) =>
        ProtobufJsonDecoder.Decode(bytes, Message(message), out _)!.ToJsonString();

    private static byte[] Ld(int field, params byte[] content) => [(byte)((field << 3) | 2), (byte)content.Length, .. content];

    private static byte[] Str(int field, string text) => Ld(field, System.Text.Encoding.UTF8.GetBytes(text));

    private static byte[] Varint(int field, ulong value)
    {
        var bytes = new List<byte> { (byte)(field << 3) };
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    [Fact]
    public void Int_or_string_quantity_and_times_take_their_json_forms()
    {
        // ServicePort { targetPort = IntOrString{type 1, strVal "http"} }
        Assert.Equal("""{"targetPort":"http"}""", Decode("k8s.io.api.core.v1.ServicePort", Ld(4, [.. Varint(1, 1), .. Str(3, "http")])));
        Assert.Equal("""{"targetPort":8080}""", Decode("k8s.io.api.core.v1.ServicePort", Ld(4, [.. Varint(1, 0), .. Varint(2, 8080)])));
        // ResourceRequirements { limits = { cpu: "500m" } }
        Assert.Equal("""{"limits":{"cpu":"500m"}}""", Decode("k8s.io.api.core.v1.ResourceRequirements", Ld(1, [.. Str(1, "cpu"), .. Ld(2, Str(1, "500m"))])));
        // ObjectMeta { creationTimestamp = 2024-01-02T03:04:05Z (nanos dropped), deletionTimestamp empty = null }
        Assert.Equal("""{"creationTimestamp":"2024-01-02T03:04:05Z","deletionTimestamp":null}""",
            Decode("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", [.. Ld(8, [.. Varint(1, 1704164645), .. Varint(2, 500)]), .. Ld(9)]));
        // events/v1 Event { eventTime = MicroTime with microseconds }
        Assert.Equal("""{"eventTime":"2024-01-02T03:04:05.123456Z"}""",
            Decode("k8s.io.api.events.v1.Event", Ld(2, [.. Varint(1, 1704164645), .. Varint(2, 123456000)])));
    }

    [Fact]
    public void Go_durations_are_written_as_go_does() =>
        Assert.Equal(["0s", "1.5s", "1h0m0s", "2m3s", "1.5ms", "999ns", "-1m30s"],
            new[] { 0L, 1_500_000_000, 3_600_000_000_000, 123_000_000_000, 1_500_000, 999, -90_000_000_000 }.Select(ProtoSpecialTypes.GoDuration));

    [Fact]
    public void Pointer_zeros_stay_and_value_zeros_tagged_omitempty_go()
    {
        // DeploymentSpec { replicas (a pointer) = 0, minReadySeconds (a value) = 0, paused = false }
        Assert.Equal("""{"replicas":0}""", Decode("k8s.io.api.apps.v1.DeploymentSpec", [.. Varint(1, 0), .. Varint(5, 0), .. Varint(7, 0)]));
        // ContainerPort { containerPort (no omitempty) = 0, hostPort = 0 }
        Assert.Equal("""{"containerPort":0}""", Decode("k8s.io.api.core.v1.ContainerPort", [.. Varint(3, 0), .. Varint(2, 0)]));
        // A negative int32 arrives as a ten-byte varint.
        Assert.Equal("""{"replicas":-1}""", Decode("k8s.io.api.apps.v1.DeploymentSpec", Varint(1, ulong.MaxValue)));
    }

    [Fact]
    public void Embedded_structs_are_inlined_and_raw_extensions_carry_json()
    {
        // ConfigMapKeySelector { localObjectReference = { name = "cm" }, key = "k" }
        Assert.Equal("""{"name":"cm","key":"k"}""", Decode("k8s.io.api.core.v1.ConfigMapKeySelector", [.. Ld(1, Str(1, "cm")), .. Str(2, "k")]));
        // ControllerRevision { data = RawExtension { raw = {"a":1} } }
        Assert.Equal("""{"data":{"a":1}}""", Decode("k8s.io.api.apps.v1.ControllerRevision", Ld(2, Str(1, """{"a":1}"""))));
        Assert.Throws<ProtobufFormatException>(() => Decode("k8s.io.api.apps.v1.ControllerRevision", Ld(2, Str(1, "{not json"))));
    }

    [Fact]
    public void Repeated_numbers_may_be_packed_or_not()
    {
        // PodSecurityContext.supplementalGroups (field 4, int64)
        Assert.Equal("""{"supplementalGroups":[1,2,3]}""", Decode("k8s.io.api.core.v1.PodSecurityContext", Ld(4, 1, 2, 3)));
        Assert.Equal("""{"supplementalGroups":[1,2]}""", Decode("k8s.io.api.core.v1.PodSecurityContext", [.. Varint(4, 1), .. Varint(4, 2)]));
    }

    [Fact]
    public void Unknown_field_numbers_are_skipped_and_reported()
    {
        var json = ProtobufJsonDecoder.Decode([.. Str(1, "x"), .. Varint(15, 5)], Message("k8s.io.api.core.v1.LocalObjectReference"), out var unknown);

        Assert.Equal("""{"name":"x"}""", json!.ToJsonString());
        Assert.Equal(["field 15 of LocalObjectReference"], unknown);
    }

    [Theory]
    [InlineData("0a05")]            // length past the end
    [InlineData("08")]              // truncated varint
    [InlineData("0d0000")]          // truncated fixed32
    [InlineData("0b")]              // group wire type
    [InlineData("0a02c328")]        // invalid UTF-8 in a string
    [InlineData("1005")]            // data (field 2) as a varint instead of a map entry
    public void Malformed_messages_are_format_errors(string hex) =>
        Assert.Throws<ProtobufFormatException>(() => ProtobufJsonDecoder.Decode(Convert.FromHexString(hex), Message("k8s.io.api.core.v1.ConfigMap"), out _));

    [Fact]
    public void Every_served_kind_has_a_schema()
    {
        foreach (var resource in LiteKube.ApiServer.Resources.ResourceCatalog.BuiltIn().Resources)
        {
            Assert.True(ProtoSchemaTable.Kubernetes.ForKind(resource.GroupVersion, resource.Kind) is not null, resource.GroupVersion + " " + resource.Kind);
        }

        Assert.NotNull(ProtoSchemaTable.Kubernetes.ForKind("v1", "DeleteOptions"));
        Assert.NotNull(ProtoSchemaTable.Kubernetes.ForKind("policy/v1", "Eviction"));
        Assert.NotNull(ProtoSchemaTable.Kubernetes.ForKind("autoscaling/v1", "Scale"));
    }
}

using System.Text.Json.Nodes;
using LiteKube.ApiServer.Serialization.Protobuf;

namespace LiteKube.ApiServer.Tests.Serialization;

/// <summary>The review and token kinds kubectl sends as protobuf, decoded by the shared schema table.</summary>
public sealed class ProtobufReviewBodyTests
{
    // Bodies kubectl 1.33 sent: `auth can-i create deployments.apps/foo -n ns1`,
    // `create token x --duration=20m --audience=a1 --audience=a2`, `auth can-i --list -n ns2`.
    private const string CanICreateDeployment =
        "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365737352657669657712490a100a0012001a0022002a00320038004200122b0a290a036e733112066372656174651a046170707322002a0b6465706c6f796d656e747332003a03666f6f1a08080012001a0020001a002200";
    private const string CreateToken =
        "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565737412250a100a0012001a0022002a00320038004200120b0a0261310a02613220b0091a040a0012001a002200";
    private const string CanIList =
        "6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a65637452756c6573526576696577121f0a100a0012001a0022002a0032003800420012050a036e73321a04180022001a002200";

    [Fact]
    public void A_self_subject_access_review_from_kubectl_decodes_to_its_resource_attributes()
    {
        var decoded = KubernetesProtobuf.Decode(Convert.FromHexString(CanICreateDeployment));
        var review = decoded.Object;

        Assert.Equal(("authorization.k8s.io/v1", "SelfSubjectAccessReview"), (decoded.ApiVersion, decoded.Kind));
        var attributes = review["spec"]!["resourceAttributes"]!;
        Assert.Equal("ns1", attributes["namespace"]!.GetValue<string>());
        Assert.Equal("create", attributes["verb"]!.GetValue<string>());
        Assert.Equal("apps", attributes["group"]!.GetValue<string>());
        Assert.Equal("deployments", attributes["resource"]!.GetValue<string>());
        Assert.Equal("foo", attributes["name"]!.GetValue<string>());
        Assert.Null(review["metadata"]!["creationTimestamp"]);
        Assert.False(review["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public void A_token_request_from_kubectl_decodes_to_its_audiences_and_duration()
    {
        var decoded = KubernetesProtobuf.Decode(Convert.FromHexString(CreateToken));
        var request = decoded.Object;

        Assert.Equal("TokenRequest", decoded.Kind);
        Assert.Equal(["a1", "a2"], request["spec"]!["audiences"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(1200, request["spec"]!["expirationSeconds"]!.GetValue<long>());
    }

    [Fact]
    public void A_self_subject_rules_review_from_kubectl_decodes_to_its_namespace()
    {
        var decoded = KubernetesProtobuf.Decode(Convert.FromHexString(CanIList));

        Assert.Equal("ns2", decoded.Object["spec"]!["namespace"]!.GetValue<string>());
    }

    [Fact]
    public void Maps_and_repeated_strings_of_a_subject_access_review_decode()
    {
        // spec { user = "bob", groups = ["g1", "g2"], extra = { "scopes": ["a", "b"] } }
        byte[] extraValue = [0x0a, 0x01, (byte)'a', 0x0a, 0x01, (byte)'b'];
        byte[] extraEntry = [0x0a, 0x06, .. "scopes"u8, 0x12, (byte)extraValue.Length, .. extraValue];
        byte[] spec = [0x1a, 0x03, .. "bob"u8, 0x22, 0x02, .. "g1"u8, 0x22, 0x02, .. "g2"u8, 0x2a, (byte)extraEntry.Length, .. extraEntry];
        byte[] review = [0x12, (byte)spec.Length, .. spec];

        var json = ProtobufJsonDecoder.Decode(review, Schema("SubjectAccessReview"), out _)!;

        Assert.Equal("""{"spec":{"user":"bob","groups":["g1","g2"],"extra":{"scopes":["a","b"]}}}""", json.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("6b387300")]
    [InlineData("6b38730012ff")]
    [InlineData("6b3873000aff01")]
    [InlineData("6b3873000a0208")]
    [InlineData("6b38730008ffffffffffffffffffff01")]
    [InlineData("6b38730013")]
    [InlineData("7b7d")]
    public void Malformed_envelopes_are_format_errors_not_crashes(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        var error = Record.Exception(() =>
        {
            KubernetesProtobuf.Decode(bytes);
        });

        Assert.True(error is null or ProtobufFormatException, error?.ToString());
    }

    [Fact]
    public void A_field_with_the_wrong_wire_type_is_a_format_error()
    {
        // spec (field 2) sent as a varint instead of a message.
        byte[] review = [0x10, 0x01];

        var error = Assert.Throws<ProtobufFormatException>(() => ProtobufJsonDecoder.Decode(review, Schema("TokenReview"), out _));

        Assert.Contains("TokenReview.spec", error.Message);
    }

    [Fact]
    public void Random_bytes_never_escape_as_anything_but_a_format_error()
    {
        var random = new Random(1234);
        var schema = Schema("SubjectAccessReview");
        var valid = KubernetesEnvelope.Unwrap(Convert.FromHexString(CanICreateDeployment)).Raw;
        for (var i = 0; i < 5000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var error = Record.Exception(() => ProtobufJsonDecoder.Decode(bytes.AsSpan(0, random.Next(bytes.Length + 1)), schema, out _));
            Assert.True(error is null or ProtobufFormatException, error?.ToString());
        }
    }

    private static ProtoMessageSchema Schema(string kind) => ProtoSchemaTable.Kubernetes.ForKind("authorization.k8s.io/v1", kind)
        ?? ProtoSchemaTable.Kubernetes.ForKind("authentication.k8s.io/v1", kind)!;
}

using System.Text.Json.Nodes;
using LiteKube.ApiServer.Serialization.Protobuf;

namespace LiteKube.ApiServer.Tests.Serialization;

/// <summary>The protobuf kubectl 1.32/1.33 sends decodes to exactly the JSON kubectl 1.31 sent
/// for the same command.</summary>
public sealed class ProtobufRecordedBodyTests
{
    [Theory]
    [MemberData(nameof(KubectlRecordedBodies.Cases), MemberType = typeof(KubectlRecordedBodies))]
    public void A_kubectl_protobuf_body_decodes_to_the_json_body_of_kubectl_1_31(string name, string client)
    {
        var recorded = KubectlRecordedBodies.Get(name);

        var decoded = KubernetesProtobuf.Decode(recorded.Protobuf[client]);

        Assert.Empty(decoded.UnknownFields);
        Assert.True(JsonNode.DeepEquals(recorded.Json, decoded.Object),
            $"kubectl {client} {name}:\nexpected {recorded.Json.ToJsonString()}\nactual   {decoded.Object.ToJsonString()}");
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Serialization;

/// <summary>
/// Parses a JSON request body completely up front. <see cref="JsonNode.Parse(ReadOnlySpan{byte}, JsonNodeOptions?, JsonDocumentOptions)"/>
/// checks some things only when a node is first read (a key set twice, a lone UTF-16 surrogate
/// escape, invalid UTF-8 inside a string), which would surface as exceptions deep inside the
/// server; here they are all a <see cref="JsonException"/> before anything else runs.
/// Duplicate keys are refused outright (upstream keeps the last one unless validation is strict).
/// </summary>
public static class StrictJson
{
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8, int maxDepth = 128)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            throw new StrictJsonException("the text is not valid UTF-8");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
            Touch(node);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new StrictJsonException(e.Message);
        }

        return node;
    }

    private static void Touch(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Touch(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Touch(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                value.GetValue<string>();
                break;
        }
    }
}

/// <summary>A JSON body is malformed in a way the parser only notices late.</summary>
public sealed class StrictJsonException(string message) : JsonException(message);

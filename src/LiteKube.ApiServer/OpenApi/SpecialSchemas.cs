using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// The definitions of the apimachinery types that are not objects on the wire (time stamps,
/// quantities, int-or-string) or whose content is free-form, shaped as upstream publishes them:
/// OpenAPI v3 states the alternatives of Quantity and IntOrString with <c>oneOf</c>, Swagger 2.0
/// cannot and calls them strings.
/// </summary>
internal static class SpecialSchemas
{
    public static JsonObject For(string name, OpenApiDialect dialect) => name switch
    {
        DefinitionNames.Time => Scalar(
            "Time is a timestamp in RFC 3339 form with second precision, e.g. 2024-01-02T15:04:05Z. It is serialized as a string.",
            "string", "date-time"),
        DefinitionNames.MicroTime => Scalar(
            "MicroTime is a timestamp in RFC 3339 form with microsecond precision, e.g. 2024-01-02T15:04:05.000001Z. It is serialized as a string.",
            "string", "date-time"),
        DefinitionNames.Quantity => dialect == OpenApiDialect.OpenApiV3
            ? OneOf(QuantityDescription, null, "string", "number")
            : Scalar(QuantityDescription, "string", null),
        DefinitionNames.IntOrString => dialect == OpenApiDialect.OpenApiV3
            ? OneOf(IntOrStringDescription, "int-or-string", "integer", "string")
            : Scalar(IntOrStringDescription, "string", "int-or-string"),
        DefinitionNames.FieldsV1 => Scalar(
            "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format: each key is a field (f:name), a list item by value (v:...), by key (k:{...}) or by index (i:N), or \".\" for the field itself.",
            "object", null),
        DefinitionNames.RawExtension => Scalar(
            "RawExtension holds an arbitrary embedded object (with its own apiVersion and kind) in its serialized form.",
            "object", null),
        DefinitionNames.Patch => Scalar(
            "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            "object", null),
        _ => throw new ArgumentException($"{name} is not a special definition", nameof(name)),
    };

    public static IReadOnlyList<string> Names { get; } =
    [
        DefinitionNames.Time, DefinitionNames.MicroTime, DefinitionNames.Quantity, DefinitionNames.IntOrString,
        DefinitionNames.FieldsV1, DefinitionNames.RawExtension, DefinitionNames.Patch,
    ];

    private const string QuantityDescription =
        "Quantity is a fixed-point representation of a number, written as a decimal number with an optional suffix: a binary SI suffix (Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix (n, u, m, \"\", k, M, G, T, P, E) or a decimal exponent (e3, E6). Examples: 100m, 1.5, 128Mi, 2Gi, 1e3.";

    private const string IntOrStringDescription =
        "IntOrString is a type that can hold an int32 or a string: in JSON or YAML it is written as the inner value, so a field can accept, for example, a port number or a port name.";

    private static JsonObject Scalar(string description, string type, string? format)
    {
        var schema = new JsonObject { ["description"] = description, ["type"] = type };
        if (format is not null)
        {
            schema["format"] = format;
        }

        return schema;
    }

    private static JsonObject OneOf(string description, string? format, params string[] types)
    {
        var schema = new JsonObject
        {
            ["description"] = description,
            ["oneOf"] = new JsonArray(types.Select(t => (JsonNode)new JsonObject { ["type"] = t }).ToArray()),
        };
        if (format is not null)
        {
            schema["format"] = format;
        }

        return schema;
    }
}

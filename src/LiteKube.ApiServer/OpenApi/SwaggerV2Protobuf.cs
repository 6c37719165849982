using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// Encodes a Swagger 2.0 document as the protobuf message <c>openapi.v2.Document</c> of
/// gnostic, the only encoding client-go's <c>OpenAPISchema()</c> accepts (kubectl 1.27 and
/// 1.28 download /openapi/v2 for validation, apply and explain). Field numbers are transcribed
/// from gnostic's OpenAPIv2.proto for the parts this server's documents use. Vendor extensions
/// travel as YAML text in <c>Any.yaml</c>; JSON is valid YAML, so their JSON is written there.
/// </summary>
internal static class SwaggerV2Protobuf
{
    public static byte[] Encode(JsonObject document)
    {
        var w = new ProtoWriter();
        w.String(1, Text(document, "swagger"));
        w.Message(2, info =>
        {
            info.String(1, Text(document["info"], "title"));
            info.String(2, Text(document["info"], "version"));
        });
        w.Message(8, paths =>
        {
            foreach (var (path, item) in Object(document["paths"]))
            {
                paths.Message(2, named => Named(named, path, value => PathItem(value, Object(item))));
            }
        });
        w.Message(9, definitions =>
        {
            foreach (var (name, schema) in Object(document["definitions"]))
            {
                definitions.Message(1, named => Named(named, name, value => Schema(value, Object(schema))));
            }
        });
        foreach (var requirement in Array(document["security"]))
        {
            w.Message(12, security =>
            {
                foreach (var (name, scopes) in Object(requirement))
                {
                    security.Message(1, named => Named(named, name, value => Strings(value, 1, scopes)));
                }
            });
        }

        w.Message(13, definitions =>
        {
            foreach (var (name, scheme) in Object(document["securityDefinitions"]))
            {
                definitions.Message(1, named => Named(named, name, item => item.Message(2, apiKey =>
                {
                    apiKey.String(1, Text(scheme, "type"));
                    apiKey.String(2, Text(scheme, "name"));
                    apiKey.String(3, Text(scheme, "in"));
                    apiKey.String(4, Text(scheme, "description"));
                })));
            }
        });
        return w.ToArray();
    }

    // PathItem: get 2, put 3, post 4, delete 5, options 6, head 7, patch 8, parameters 9.
    private static void PathItem(ProtoWriter w, JsonObject item)
    {
        foreach (var (key, value) in item)
        {
            switch (key)
            {
                case "parameters":
                    foreach (var parameter in Array(value))
                    {
                        w.Message(9, p => ParametersItem(p, Object(parameter)));
                    }

                    break;
                default:
                    var field = key switch
                    {
                        "get" => 2, "put" => 3, "post" => 4, "delete" => 5, "options" => 6, "head" => 7, "patch" => 8,
                        _ => throw new NotSupportedException($"OpenAPI v2 protobuf: path item field {key}"),
                    };
                    w.Message(field, operation => Operation(operation, Object(value)));
                    break;
            }
        }
    }

    private static void Operation(ProtoWriter w, JsonObject operation)
    {
        Strings(w, 1, operation["tags"]);
        w.String(3, Text(operation, "description"));
        w.String(5, Text(operation, "operationId"));
        Strings(w, 6, operation["produces"]);
        Strings(w, 7, operation["consumes"]);
        foreach (var parameter in Array(operation["parameters"]))
        {
            w.Message(8, p => ParametersItem(p, Object(parameter)));
        }

        w.Message(9, responses =>
        {
            foreach (var (code, response) in Object(operation["responses"]))
            {
                responses.Message(1, named => Named(named, code, value => value.Message(1, r =>
                {
                    r.String(1, Text(response, "description"));
                    if (response?["schema"] is JsonObject schema)
                    {
                        r.Message(2, item => item.Message(1, s => Schema(s, schema)));
                    }
                })));
            }
        });
        Strings(w, 10, operation["schemes"]);
        VendorExtensions(w, 13, operation);
    }

    // ParametersItem.parameter 1 -> Parameter: body_parameter 1 | non_body_parameter 2, whose
    // query sub-schema is 3 and path sub-schema 4 (their layouts differ by allow_empty_value).
    private static void ParametersItem(ProtoWriter w, JsonObject parameter) => w.Message(1, p =>
    {
        var location = Text(parameter, "in");
        if (location == "body")
        {
            p.Message(1, body =>
            {
                body.String(1, Text(parameter, "description"));
                body.String(2, Text(parameter, "name"));
                body.String(3, location);
                body.Bool(4, Bool(parameter, "required"));
                body.Message(5, s => Schema(s, Object(parameter["schema"])));
            });
            return;
        }

        var query = location switch
        {
            "query" => true,
            "path" => false,
            _ => throw new NotSupportedException($"OpenAPI v2 protobuf: parameter in {location}"),
        };
        p.Message(2, nonBody => nonBody.Message(query ? 3 : 4, sub =>
        {
            sub.Bool(1, Bool(parameter, "required"));
            sub.String(2, location);
            sub.String(3, Text(parameter, "description"));
            sub.String(4, Text(parameter, "name"));
            sub.String(query ? 6 : 5, Text(parameter, "type"));
            sub.String(query ? 7 : 6, Text(parameter, "format"));
            sub.Bool(query ? 20 : 19, Bool(parameter, "uniqueItems"));
        }));
    });

    private static void Schema(ProtoWriter w, JsonObject schema)
    {
        w.String(1, Text(schema, "$ref"));
        w.String(2, Text(schema, "format"));
        w.String(4, Text(schema, "description"));
        Strings(w, 19, schema["required"]);
        if (schema["additionalProperties"] is JsonObject additional)
        {
            w.Message(21, item => item.Message(1, s => Schema(s, additional)));
        }

        if (schema["type"] is JsonValue type)
        {
            w.Message(22, item => item.String(1, type.GetValue<string>()));
        }

        if (schema["items"] is JsonObject items)
        {
            w.Message(23, item => item.Message(1, s => Schema(s, items)));
        }

        foreach (var part in Array(schema["allOf"]))
        {
            w.Message(24, s => Schema(s, Object(part)));
        }

        if (schema["properties"] is JsonObject properties)
        {
            w.Message(25, props =>
            {
                foreach (var (name, property) in properties)
                {
                    props.Message(1, named => Named(named, name, s => Schema(s, Object(property))));
                }
            });
        }

        VendorExtensions(w, 31, schema);
    }

    private static void VendorExtensions(ProtoWriter w, int field, JsonObject owner)
    {
        foreach (var (key, value) in owner)
        {
            if (key.StartsWith("x-", StringComparison.Ordinal) && value is not null)
            {
                // NamedAny { name 1, value 2: Any { yaml 2 } }
                w.Message(field, named => Named(named, key, any => any.String(2, value.ToJsonString())));
            }
        }
    }

    // The Named* messages all have name 1 and value 2.
    private static void Named(ProtoWriter w, string name, Action<ProtoWriter> value)
    {
        w.String(1, name);
        w.Message(2, value);
    }

    private static void Strings(ProtoWriter w, int field, JsonNode? values)
    {
        foreach (var value in Array(values))
        {
            var text = value?.GetValue<string>() ?? "";
            // Repeated strings keep empty entries: write the field even when the string is empty.
            if (text.Length == 0)
            {
                w.Message(field, _ => { });
            }
            else
            {
                w.String(field, text);
            }
        }
    }

    private static string? Text(JsonNode? node, string key) => node?[key]?.GetValue<string>();

    private static bool Bool(JsonNode? node, string key) => node?[key]?.GetValue<bool>() ?? false;

    private static JsonObject Object(JsonNode? node) => node as JsonObject ?? [];

    private static JsonArray Array(JsonNode? node) => node as JsonArray ?? [];
}

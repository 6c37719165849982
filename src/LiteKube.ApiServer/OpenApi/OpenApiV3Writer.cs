using System.Text.Json.Nodes;
using LiteKube.ApiServer.Discovery;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>Writes paths and definitions as an OpenAPI 3.0 document, shaped like the
/// per-group-version documents upstream serves under <c>/openapi/v3</c>.</summary>
internal static class OpenApiV3Writer
{
    public static JsonObject Document(IEnumerable<ApiPath> paths, IDictionary<string, JsonNode> schemas, SchemaGenerator schemaRefs)
    {
        var pathItems = PathItems.Write(paths, o => Operation(o, schemaRefs), Parameter);
        var components = PathItems.Copy(schemas);

        return new JsonObject
        {
            ["components"] = new JsonObject
            {
                ["schemas"] = components,
                ["securitySchemes"] = new JsonObject
                {
                    ["BearerToken"] = new JsonObject
                    {
                        ["description"] = "Bearer Token authentication",
                        ["in"] = "header",
                        ["name"] = "authorization",
                        ["type"] = "apiKey",
                    },
                },
            },
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = ServerVersion.GitVersion },
            ["openapi"] = "3.0.0",
            ["paths"] = pathItems,
            ["security"] = new JsonArray(new JsonObject { ["BearerToken"] = new JsonArray() }),
        };
    }

    private static JsonObject Operation(ApiOperation operation, SchemaGenerator schemaRefs)
    {
        var json = new JsonObject
        {
            ["description"] = operation.Description,
            ["operationId"] = operation.OperationId,
        };
        if (operation.Parameters.Count > 0)
        {
            json["parameters"] = new JsonArray(operation.Parameters.Select(p => (JsonNode)Parameter(p)).ToArray());
        }

        if (operation.Body is { } body)
        {
            json["requestBody"] = new JsonObject
            {
                ["content"] = Content(operation.BodyMediaTypes, () => schemaRefs.Ref(body)),
                ["required"] = operation.Method != "delete",
            };
        }

        var responses = new JsonObject();
        foreach (var (code, description, schema) in operation.Responses)
        {
            responses[code.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = Content(operation.ResponseMediaTypes, () => schema is null ? new JsonObject { ["type"] = "string" } : schemaRefs.Ref(schema)),
                ["description"] = description,
            };
        }

        json["responses"] = responses;
        json["tags"] = new JsonArray(operation.Tag);
        json["x-kubernetes-action"] = operation.Action;
        json["x-kubernetes-group-version-kind"] = SchemaGenerator.Gvk(operation.Kind.Group, operation.Kind.Version, operation.Kind.Kind);
        return json;
    }

    private static JsonObject Content(IEnumerable<string> mediaTypes, Func<JsonObject> schema)
    {
        var content = new JsonObject();
        foreach (var mediaType in mediaTypes)
        {
            content[mediaType] = new JsonObject { ["schema"] = schema() };
        }

        return content;
    }

    private static JsonObject Parameter(ApiParameter parameter)
    {
        var json = new JsonObject
        {
            ["description"] = parameter.Description,
            ["in"] = parameter.In,
            ["name"] = parameter.Name,
        };
        if (parameter.Required)
        {
            json["required"] = true;
        }

        json["schema"] = new JsonObject { ["type"] = parameter.Type, ["uniqueItems"] = true };
        return json;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Discovery;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>Writes paths and definitions as a Swagger 2.0 document, shaped like upstream's
/// <c>/openapi/v2</c> (one document for the whole API).</summary>
internal static class SwaggerV2Writer
{
    public static JsonObject Document(IEnumerable<ApiPath> paths, IDictionary<string, JsonNode> definitions, SchemaGenerator schemaRefs)
    {
        var pathItems = PathItems.Write(paths, o => Operation(o, schemaRefs), Parameter);
        var definitionsJson = PathItems.Copy(definitions);

        return new JsonObject
        {
            ["definitions"] = definitionsJson,
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = ServerVersion.GitVersion },
            ["paths"] = pathItems,
            ["security"] = new JsonArray(new JsonObject { ["BearerToken"] = new JsonArray() }),
            ["securityDefinitions"] = new JsonObject
            {
                ["BearerToken"] = new JsonObject
                {
                    ["description"] = "Bearer Token authentication",
                    ["in"] = "header",
                    ["name"] = "authorization",
                    ["type"] = "apiKey",
                },
            },
            ["swagger"] = "2.0",
        };
    }

    private static JsonObject Operation(ApiOperation operation, SchemaGenerator schemaRefs)
    {
        var parameters = operation.Parameters.Select(p => (JsonNode)Parameter(p)).ToList();
        if (operation.Body is { } body)
        {
            parameters.Add(new JsonObject
            {
                ["in"] = "body",
                ["name"] = "body",
                ["required"] = operation.Method != "delete",
                ["schema"] = schemaRefs.Ref(body),
            });
        }

        var responses = new JsonObject();
        foreach (var (code, description, schema) in operation.Responses)
        {
            responses[code.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = description,
                ["schema"] = schema is null ? new JsonObject { ["type"] = "string" } : schemaRefs.Ref(schema),
            };
        }

        responses["401"] = new JsonObject { ["description"] = "Unauthorized" };
        var json = new JsonObject
        {
            ["consumes"] = new JsonArray((operation.BodyMediaTypes.Count > 0 ? operation.BodyMediaTypes : ["*/*"]).Select(m => (JsonNode)m).ToArray()),
            ["description"] = operation.Description,
            ["operationId"] = operation.OperationId,
        };
        if (parameters.Count > 0)
        {
            json["parameters"] = new JsonArray(parameters.ToArray());
        }

        json["produces"] = new JsonArray(operation.ResponseMediaTypes.Select(m => (JsonNode)m).ToArray());
        json["responses"] = responses;
        json["schemes"] = new JsonArray("https");
        json["tags"] = new JsonArray(operation.Tag);
        json["x-kubernetes-action"] = operation.Action;
        json["x-kubernetes-group-version-kind"] = SchemaGenerator.Gvk(operation.Kind.Group, operation.Kind.Version, operation.Kind.Kind);
        return json;
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

        json["type"] = parameter.Type;
        json["uniqueItems"] = true;
        return json;
    }
}

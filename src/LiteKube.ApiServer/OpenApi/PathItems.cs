using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>The parts of an OpenAPI document that v2 and v3 shape alike: the path items (one
/// operation per method plus the shared parameters) and a deep copy of the schema map. Each
/// writer passes how it renders one operation and one parameter, which is where they differ.</summary>
internal static class PathItems
{
    public static JsonObject Write(IEnumerable<ApiPath> paths, Func<ApiOperation, JsonNode> operation, Func<ApiParameter, JsonNode> parameter)
    {
        var pathItems = new JsonObject();
        foreach (var path in paths)
        {
            var item = new JsonObject();
            foreach (var op in path.Operations)
            {
                item[op.Method] = operation(op);
            }

            item["parameters"] = new JsonArray(path.Parameters.Select(parameter).ToArray());
            pathItems[path.Path] = item;
        }

        return pathItems;
    }

    public static JsonObject Copy(IDictionary<string, JsonNode> schemas)
    {
        var copy = new JsonObject();
        foreach (var (name, schema) in schemas)
        {
            copy[name] = schema.DeepClone();
        }

        return copy;
    }
}

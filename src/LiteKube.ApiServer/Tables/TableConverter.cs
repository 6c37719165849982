using System.Text.Json.Nodes;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Tables;

/// <summary>
/// Renders objects as a meta.k8s.io Table (what kubectl get asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>). Kinds without a printer get
/// upstream's default columns, NAME and CREATED AT (as upstream does for Role, ClusterRole and
/// LimitRange, which have no printer there either).
/// </summary>
public sealed class TableConverter(IEnumerable<ITablePrinter> printers, TimeProvider time)
{
    private static readonly TableColumn[] DefaultColumns =
    [
        new("Name", "string", "Name must be unique within a namespace.", Format: "name"),
        new("Created At", "date", "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ];

    private readonly Dictionary<(string Group, string Kind), ITablePrinter> _printers = printers.ToDictionary(p => (p.Group, p.Kind));

    /// <param name="includeObject">None, Metadata (default) or Object, as the request's includeObject says.</param>
    public JsonObject ToTable(ResourceDefinition resource, IEnumerable<JsonObject> items, JsonObject listMetadata, string apiVersion, string includeObject, bool withColumns = true)
    {
        var printer = _printers.GetValueOrDefault((resource.Group, resource.Kind));
        var columns = printer?.Columns ?? DefaultColumns;
        var now = time.GetUtcNow();
        var rows = items.Select(item => (JsonNode)new JsonObject
        {
            ["cells"] = new JsonArray((printer?.Cells(item, now) ?? DefaultCells(item)).Select(c => c?.DeepClone()).ToArray()),
            ["object"] = RowObject(item, includeObject),
        }).ToArray();
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = apiVersion,
            ["metadata"] = listMetadata,
        };
        if (withColumns)
        {
            table["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray());
        }

        table["rows"] = new JsonArray(rows);
        return table;
    }

    private static IReadOnlyList<JsonNode?> DefaultCells(JsonObject item)
    {
        var reader = new JsonObjectReader(item);
        return [reader.String("metadata.name"), reader.String("metadata.creationTimestamp")];
    }

    private static JsonNode? RowObject(JsonObject item, string includeObject) => includeObject switch
    {
        "None" => null,
        "Object" => item.DeepClone(),
        _ => new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = item["metadata"]?.DeepClone(),
        },
    };
}

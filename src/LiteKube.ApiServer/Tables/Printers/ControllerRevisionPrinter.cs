using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>ControllerRevision: CONTROLLER is the controlling owner as "kind.group/name"
/// (e.g. statefulset.apps/web).</summary>
public sealed class ControllerRevisionPrinter : ITablePrinter
{
    public string Group => "apps";

    public string Kind => "ControllerRevision";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Controller", "string", "Controller of the object"),
        new("Revision", "string", "Revision indicates the revision of the state represented by Data."),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var r = new JsonObjectReader(obj);
        var owner = r.Array("metadata.ownerReferences").OfType<JsonObject>()
            .FirstOrDefault(o => o["controller"] is JsonValue v && v.TryGetValue<bool>(out var c) && c);
        return [r.String("metadata.name"), owner is null ? "<none>" : Controller(new JsonObjectReader(owner)), Common.Of(r.Long("revision")), HumanDuration.Age(r, now)];
    }

    private static string Controller(JsonObjectReader owner)
    {
        var apiVersion = owner.String("apiVersion");
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var kind = owner.String("kind");
        var groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return groupKind.Length == 0 ? owner.String("name") : $"{groupKind.ToLowerInvariant()}/{owner.String("name")}";
    }
}

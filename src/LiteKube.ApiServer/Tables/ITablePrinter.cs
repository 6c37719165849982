using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables;

/// <summary>The columns kubectl prints for one kind (upstream's printers.go), as a pure function
/// of the object and the time. The server always prints the wide cells too, as upstream's
/// apiserver does; kubectl hides priority 1 columns unless asked for <c>-o wide</c>.</summary>
public interface ITablePrinter
{
    /// <summary>The API group of the kind ("" for core): core and events.k8s.io both serve an Event.</summary>
    string Group => "";

    /// <summary>The kind this printer serves, e.g. "Pod".</summary>
    string Kind { get; }

    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>One cell per column: string, number or bool (JSON values). Never throws on odd or
    /// missing fields: a stored object is printed as it is.</summary>
    IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now);
}

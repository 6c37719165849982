using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables;

/// <summary>The columns kubectl prints for one kind (upstream's printers.go), as a pure function
/// of the object and the time.</summary>
public interface ITablePrinter
{
    /// <summary>The kind this printer serves, e.g. "Pod".</summary>
    string Kind { get; }

    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>One cell per column: string, number or bool (JSON values).</summary>
    IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now);
}

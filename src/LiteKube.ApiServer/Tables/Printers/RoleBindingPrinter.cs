using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class RoleBindingPrinter : ITablePrinter
{
    public string Group => "rbac.authorization.k8s.io";

    public string Kind => "RoleBinding";

    public IReadOnlyList<TableColumn> Columns { get; } = RoleBindingSubjects.Columns("roleBinding");

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now) => RoleBindingSubjects.Cells(obj, now);
}

using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class ClusterRoleBindingPrinter : ITablePrinter
{
    public string Group => "rbac.authorization.k8s.io";

    public string Kind => "ClusterRoleBinding";

    public IReadOnlyList<TableColumn> Columns { get; } = RoleBindingSubjects.Columns("clusterRoleBinding");

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now) => RoleBindingSubjects.Cells(obj, now);
}

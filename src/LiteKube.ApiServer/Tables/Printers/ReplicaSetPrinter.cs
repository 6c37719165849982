using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class ReplicaSetPrinter : ITablePrinter
{
    public string Group => "apps";

    public string Kind => "ReplicaSet";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Desired", "integer", "Replicas is the number of desired replicas."),
        new("Current", "integer", "Replicas is the most recently observed number of replicas."),
        new("Ready", "integer", "The number of ready replicas for this replica set."),
        Common.Age,
        Common.Containers,
        Common.Images,
        new("Selector", "string", "Selector is a label query over pods that should match the replica count.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var rs = new JsonObjectReader(obj);
        var (names, images) = Common.ContainerCells(rs.Array("spec.template.spec.containers"));
        return
        [
            rs.String("metadata.name"),
            Common.Of(rs.Long("spec.replicas", 1)),
            Common.Of(rs.Long("status.replicas")),
            Common.Of(rs.Long("status.readyReplicas")),
            HumanDuration.Age(rs, now),
            names,
            images,
            Selector.Format(rs.Node("spec.selector") as JsonObject),
        ];
    }
}

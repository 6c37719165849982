using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class ReplicationControllerPrinter : ITablePrinter
{
    public string Kind => "ReplicationController";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Desired", "integer", "Replicas is the number of desired replicas."),
        new("Current", "integer", "Replicas is the most recently observed number of replicas."),
        new("Ready", "integer", "The number of ready replicas for this replication controller."),
        Common.Age,
        Common.Containers,
        Common.Images,
        new("Selector", "string", "Selector is a label query over pods that should match the Replicas count.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var rc = new JsonObjectReader(obj);
        var (names, images) = Common.ContainerCells(rc.Array("spec.template.spec.containers"));
        return
        [
            rc.String("metadata.name"),
            Common.Of(rc.Long("spec.replicas", 1)),
            Common.Of(rc.Long("status.replicas")),
            Common.Of(rc.Long("status.readyReplicas")),
            HumanDuration.Age(rc, now),
            names,
            images,
            Selector.Labels(rc.Object("spec.selector")),
        ];
    }
}

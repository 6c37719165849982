using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class DeploymentPrinter : ITablePrinter
{
    public string Group => "apps";

    public string Kind => "Deployment";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Ready", "string", "Number of the pod with ready state"),
        new("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        new("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        Common.Age,
        Common.Containers,
        Common.Images,
        new("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var d = new JsonObjectReader(obj);
        var (names, images) = Common.ContainerCells(d.Array("spec.template.spec.containers"));
        return
        [
            d.String("metadata.name"),
            $"{d.Long("status.readyReplicas")}/{d.Long("spec.replicas", 1)}",
            Common.Of(d.Long("status.updatedReplicas")),
            Common.Of(d.Long("status.availableReplicas")),
            HumanDuration.Age(d, now),
            names,
            images,
            Selector.Requirements(d.Node("spec.selector") as JsonObject) ?? "<invalid>",
        ];
    }
}

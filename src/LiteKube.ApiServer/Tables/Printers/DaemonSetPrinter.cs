using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class DaemonSetPrinter : ITablePrinter
{
    public string Group => "apps";

    public string Kind => "DaemonSet";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
        new("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
        new("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
        new("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
        new("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        new("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node."),
        Common.Age,
        Common.Containers,
        Common.Images,
        new("Selector", "string", "A label query over pods that are managed by the daemon set.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var ds = new JsonObjectReader(obj);
        var (names, images) = Common.ContainerCells(ds.Array("spec.template.spec.containers"));
        return
        [
            ds.String("metadata.name"),
            Common.Of(ds.Long("status.desiredNumberScheduled")),
            Common.Of(ds.Long("status.currentNumberScheduled")),
            Common.Of(ds.Long("status.numberReady")),
            Common.Of(ds.Long("status.updatedNumberScheduled")),
            Common.Of(ds.Long("status.numberAvailable")),
            Selector.Labels(ds.Object("spec.template.spec.nodeSelector")),
            HumanDuration.Age(ds, now),
            names,
            images,
            Selector.Format(ds.Node("spec.selector") as JsonObject),
        ];
    }
}

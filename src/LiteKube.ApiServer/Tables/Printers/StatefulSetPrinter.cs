using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class StatefulSetPrinter : ITablePrinter
{
    public string Group => "apps";

    public string Kind => "StatefulSet";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Ready", "string", "Number of the pod with ready state"),
        Common.Age,
        Common.Containers,
        Common.Images,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var s = new JsonObjectReader(obj);
        var (names, images) = Common.ContainerCells(s.Array("spec.template.spec.containers"));
        return
        [
            s.String("metadata.name"),
            $"{s.Long("status.readyReplicas")}/{s.Long("spec.replicas", 1)}",
            HumanDuration.Age(s, now),
            names,
            images,
        ];
    }
}

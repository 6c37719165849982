using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class PodDisruptionBudgetPrinter : ITablePrinter
{
    public string Group => "policy";

    public string Kind => "PodDisruptionBudget";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Min Available", "string", "The minimum number of pods that must be available."),
        new("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
        new("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
        Common.Age,
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var p = new JsonObjectReader(obj);
        return
        [
            p.String("metadata.name"),
            p.String("spec.minAvailable", "N/A"),
            p.String("spec.maxUnavailable", "N/A"),
            Common.Of(p.Long("status.disruptionsAllowed")),
            HumanDuration.Age(p, now),
        ];
    }
}

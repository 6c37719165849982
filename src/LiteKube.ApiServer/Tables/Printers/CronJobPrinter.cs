using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

public sealed class CronJobPrinter : ITablePrinter
{
    public string Group => "batch";

    public string Kind => "CronJob";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        new("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
        new("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions."),
        new("Active", "integer", "A list of pointers to currently running jobs."),
        new("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
        Common.Age,
        Common.Containers,
        Common.Images,
        new("Selector", "string", "A label query over pods that should match the pod count.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var cj = new JsonObjectReader(obj);
        var (names, images) = Common.ContainerCells(cj.Array("spec.jobTemplate.spec.template.spec.containers"));
        return
        [
            cj.String("metadata.name"),
            cj.String("spec.schedule"),
            cj.String("spec.timeZone", "<none>"),
            Common.BoolPointer(cj.Node("spec.suspend")),
            Common.Of(cj.Array("status.active").Count),
            cj.Time("status.lastScheduleTime") is { } last ? HumanDuration.Format(now - last) : "<none>",
            HumanDuration.Age(cj, now),
            names,
            images,
            Selector.Format(cj.Node("spec.jobTemplate.spec.selector") as JsonObject),
        ];
    }
}

using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>Job: STATUS from the conditions (Complete, Failed, Terminating, Suspended,
/// FailureTarget, else Running), COMPLETIONS "succeeded/completions" and DURATION.</summary>
public sealed class JobPrinter : ITablePrinter
{
    public string Group => "batch";

    public string Kind => "Job";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        Common.Name,
        new("Status", "string", "Status of the job."),
        new("Completions", "string", "The number of pods which reached phase Succeeded."),
        new("Duration", "string", "Time required to complete the job."),
        Common.Age,
        Common.Containers,
        Common.Images,
        new("Selector", "string", "A label query over pods that should match the pod count.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var job = new JsonObjectReader(obj);
        var succeeded = job.Long("status.succeeded");
        string completions;
        if (job.Node("spec.completions") is JsonValue)
        {
            completions = $"{succeeded}/{job.Long("spec.completions")}";
        }
        else
        {
            var parallelism = job.Long("spec.parallelism");
            completions = parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
        }

        var duration = (job.Time("status.startTime"), job.Time("status.completionTime")) switch
        {
            (null, _) => "",
            ({ } start, null) => HumanDuration.Format(now - start),
            ({ } start, { } end) => HumanDuration.Format(end - start),
        };
        var (names, images) = Common.ContainerCells(job.Array("spec.template.spec.containers"));
        return
        [
            job.String("metadata.name"),
            Status(job),
            completions,
            duration,
            HumanDuration.Age(job, now),
            names,
            images,
            Selector.Format(job.Node("spec.selector") as JsonObject),
        ];
    }

    private static string Status(JsonObjectReader job)
    {
        var conditions = job.Array("status.conditions");
        return Common.ConditionTrue(conditions, "Complete") ? "Complete"
            : Common.ConditionTrue(conditions, "Failed") ? "Failed"
            : job.Node("metadata.deletionTimestamp") is JsonValue ? "Terminating"
            : Common.ConditionTrue(conditions, "Suspended") ? "Suspended"
            : Common.ConditionTrue(conditions, "FailureTarget") ? "FailureTarget"
            : "Running";
    }
}

using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Admission;

/// <summary>batch/v1 CronJob: upstream's SetDefaults_CronJob (concurrency Allow, not suspended,
/// keep 3 successful and 1 failed job), pod defaults in the job template, and the validation
/// that matters before a controller runs it: a schedule of five fields or a macro, a known
/// concurrency policy, and a restart policy a Job accepts.</summary>
public sealed class CronJobStrategy : IResourceStrategy
{
    private static readonly HashSet<string> Macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

    public string Kind => "CronJob";

    public void Default(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            return;
        }

        spec["concurrencyPolicy"] ??= "Allow";
        spec["suspend"] ??= false;
        spec["successfulJobsHistoryLimit"] ??= 3;
        spec["failedJobsHistoryLimit"] ??= 1;
        if (spec["jobTemplate"]?["spec"]?["template"]?["spec"] is JsonObject podSpec)
        {
            // Upstream defaults the template's restartPolicy to Always, which validation then
            // refuses: a CronJob must say OnFailure or Never, so no default here either.
            var restart = podSpec["restartPolicy"]?.DeepClone();
            PodTemplateRules.DefaultSpec(podSpec);
            podSpec["restartPolicy"] = restart;
            if (restart is null)
            {
                podSpec.Remove("restartPolicy");
            }
        }
    }

    public void Validate(JsonObject obj, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject;
        var schedule = spec?["schedule"] is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : "";
        if (schedule == "")
        {
            errors.Add(new FieldError("spec.schedule", "Required value", "a cron schedule is required"));
        }
        else if (!IsSchedule(schedule))
        {
            errors.Add(new FieldError("spec.schedule", "Invalid value", $"\"{schedule}\": expected five fields (minute hour day-of-month month day-of-week) or a macro such as @hourly"));
        }

        var policy = spec?["concurrencyPolicy"]?.ToString();
        if (policy is not (null or "Allow" or "Forbid" or "Replace"))
        {
            errors.Add(new FieldError("spec.concurrencyPolicy", "Unsupported value", $"\"{policy}\": supported values: \"Allow\", \"Forbid\", \"Replace\""));
        }

        var podSpec = spec?["jobTemplate"]?["spec"]?["template"]?["spec"] as JsonObject;
        PodTemplateRules.ValidateSpec(podSpec, "spec.jobTemplate.spec.template.spec", errors);
        var restart = podSpec?["restartPolicy"]?.ToString();
        if (restart is not ("OnFailure" or "Never"))
        {
            errors.Add(new FieldError("spec.jobTemplate.spec.template.spec.restartPolicy",
                restart is null ? "Required value" : "Unsupported value", $"\"{restart}\": supported values: \"OnFailure\", \"Never\""));
        }
    }

    private static bool IsSchedule(string schedule)
    {
        // An optional CRON_TZ=/TZ= prefix is allowed by upstream's parser.
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length > 0 && (fields[0].StartsWith("CRON_TZ=", StringComparison.Ordinal) || fields[0].StartsWith("TZ=", StringComparison.Ordinal)))
        {
            fields = fields[1..];
        }

        return fields.Length == 1 ? Macros.Contains(fields[0]) : fields.Length == 5 && fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '/' or ',' or '-' or '?'));
    }
}

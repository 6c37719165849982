using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class BatchPrinterTests
{
    private static readonly JobPrinter Jobs = new();

    [Fact]
    public void Job_columns_are_upstreams() =>
        Assert.Equal("NAME | STATUS | COMPLETIONS | DURATION | AGE | CONTAINERS (wide) | IMAGES (wide) | SELECTOR (wide)", PrinterColumns.Headers(Jobs));

    [Fact]
    public void A_completed_job_prints_completions_and_its_duration()
    {
        var cells = new ObjectBuilder("pi", TimeSpan.FromMinutes(10))
            .Set("spec.completions", 3)
            .Set("spec.selector", """{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}}""")
            .Set("spec.template.spec.containers", """[{"name":"pi","image":"perl"}]""")
            .Set("status.succeeded", 3)
            .Set("status.startTime", ObjectBuilder.Ago(TimeSpan.FromMinutes(9)))
            .Set("status.completionTime", ObjectBuilder.Ago(TimeSpan.FromMinutes(8)))
            .Set("status.conditions", """[{"type":"Complete","status":"True"}]""")
            .PrintWith(Jobs);
        Assert.Equal(["pi", "Complete", "3/3", "60s", "10m", "pi", "perl", "batch.kubernetes.io/controller-uid=u1"], cells);
    }

    [Theory]
    [InlineData("""[{"type":"Failed","status":"True"}]""", false, "Failed")]
    [InlineData("""[{"type":"Suspended","status":"True"}]""", false, "Suspended")]
    [InlineData("""[{"type":"FailureTarget","status":"True"}]""", false, "FailureTarget")]
    [InlineData("""[{"type":"Complete","status":"False"}]""", false, "Running")]
    [InlineData("""[{"type":"Suspended","status":"True"}]""", true, "Terminating")]
    [InlineData("""[{"type":"Complete","status":"True"}]""", true, "Complete")]
    public void Job_status_follows_upstreams_precedence(string conditions, bool deleting, string expected)
    {
        var job = new ObjectBuilder("j").Set("status.conditions", conditions);
        if (deleting)
        {
            job.Set("metadata.deletionTimestamp", "2026-11-23T11:00:00Z");
        }

        Assert.Equal(expected, job.PrintWith(Jobs)[1]);
    }

    [Fact]
    public void A_running_job_without_completions_shows_parallelism_and_time_since_start()
    {
        var cells = new ObjectBuilder("work").Set("spec.parallelism", 4).Set("status.succeeded", 1).Set("status.startTime", ObjectBuilder.Ago(TimeSpan.FromSeconds(30))).PrintWith(Jobs);
        Assert.Equal(["Running", "1/1 of 4", "30s"], cells.Skip(1).Take(3));
        var single = new ObjectBuilder("one").Set("spec.parallelism", 1).PrintWith(Jobs);
        Assert.Equal(["Running", "0/1", ""], single.Skip(1).Take(3));
    }

    [Fact]
    public void A_cron_job_prints_schedule_timezone_suspend_active_and_last_schedule()
    {
        var printer = new CronJobPrinter();
        Assert.Equal("NAME | SCHEDULE | TIMEZONE | SUSPEND | ACTIVE | LAST SCHEDULE | AGE | CONTAINERS (wide) | IMAGES (wide) | SELECTOR (wide)", PrinterColumns.Headers(printer));
        var cells = new ObjectBuilder("nightly", TimeSpan.FromDays(2))
            .Set("spec.schedule", "0 3 * * *")
            .Set("spec.timeZone", "Europe/Paris")
            .Set("spec.suspend", false)
            .Set("spec.jobTemplate.spec.template.spec.containers", """[{"name":"backup","image":"restic"}]""")
            .Set("status.active", """[{"name":"nightly-1"}]""")
            .Set("status.lastScheduleTime", ObjectBuilder.Ago(TimeSpan.FromHours(9)))
            .PrintWith(printer);
        Assert.Equal(["nightly", "0 3 * * *", "Europe/Paris", "False", "1", "9h", "2d", "backup", "restic", "<none>"], cells);
        var bare = new ObjectBuilder("c").PrintWith(printer);
        Assert.Equal(["<none>", "<unset>", "0", "<none>"], [bare[2], bare[3], bare[4], bare[5]]);
    }
}

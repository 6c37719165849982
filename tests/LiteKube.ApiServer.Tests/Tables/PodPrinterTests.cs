using System.Text.Json.Nodes;
using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class PodPrinterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<string?> Print(string json) =>
        new PodPrinter().Cells(JsonNode.Parse(json)!.AsObject(), Now).Select(c => c?.ToString()).ToList();

    [Fact]
    public void A_running_ready_pod_prints_ready_count_phase_and_age()
    {
        var cells = Print("""
            {"metadata":{"name":"web","creationTimestamp":"2026-11-23T11:55:00Z"},
             "spec":{"containers":[{"name":"a"},{"name":"b"}],"nodeName":"n1"},
             "status":{"phase":"Running","podIP":"10.42.0.5","containerStatuses":[
               {"name":"a","ready":true,"restartCount":1,"state":{"running":{}},"lastState":{"terminated":{"finishedAt":"2026-11-23T11:58:00Z"}}},
               {"name":"b","ready":false,"restartCount":0,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}
            """);
        Assert.Equal(["web", "1/2", "CrashLoopBackOff", "1 (2m ago)", "5m", "10.42.0.5", "n1", "<none>", "<none>"], cells);
    }

    [Fact]
    public void An_init_container_in_progress_shows_init_progress()
    {
        var cells = Print("""
            {"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"c"}]},
             "status":{"phase":"Pending","initContainerStatuses":[
               {"name":"i1","restartCount":0,"state":{"terminated":{"exitCode":0}}},
               {"name":"i2","restartCount":0,"state":{"running":{}}}]}}
            """);
        Assert.Equal("Init:1/2", cells[2]);
        Assert.Equal("<unknown>", cells[4]);
    }

    [Fact]
    public void A_terminated_container_without_reason_shows_its_exit_code_and_a_deleting_pod_is_terminating()
    {
        var exited = Print("""{"metadata":{"name":"p"},"spec":{"containers":[{}]},"status":{"phase":"Failed","containerStatuses":[{"state":{"terminated":{"exitCode":3}}}]}}""");
        Assert.Equal("ExitCode:3", exited[2]);
        var deleting = Print("""{"metadata":{"name":"p","deletionTimestamp":"2026-11-23T11:59:00Z"},"spec":{"containers":[{}]},"status":{"phase":"Running"}}""");
        Assert.Equal("Terminating", deleting[2]);
    }
}

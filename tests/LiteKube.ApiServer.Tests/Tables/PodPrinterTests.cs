using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class PodPrinterTests
{
    private static readonly PodPrinter Printer = new();

    [Fact]
    public void Columns_are_upstreams_with_four_wide_ones() =>
        Assert.Equal(
            "NAME | READY | STATUS | RESTARTS | AGE | IP (wide) | NODE (wide) | NOMINATED NODE (wide) | READINESS GATES (wide)",
            PrinterColumns.Headers(Printer));

    [Fact]
    public void A_running_pod_prints_ready_count_waiting_reason_restarts_with_time_and_wide_cells()
    {
        var cells = new ObjectBuilder("web", TimeSpan.FromMinutes(5))
            .Set("spec.containers", """[{"name":"a"},{"name":"b"}]""")
            .Set("spec.nodeName", "n1")
            .Set("status.phase", "Running")
            .Set("status.podIP", "10.42.0.5")
            .Set("status.containerStatuses", $$$$"""
                [{"name":"a","ready":true,"restartCount":1,"state":{"running":{}},"lastState":{"terminated":{"finishedAt":"{{{{ObjectBuilder.Ago(TimeSpan.FromMinutes(2))}}}}"}}},
                 {"name":"b","ready":false,"restartCount":0,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]
                """)
            .PrintWith(Printer);
        Assert.Equal(["web", "1/2", "CrashLoopBackOff", "1 (2m ago)", "5m", "10.42.0.5", "n1", "<none>", "<none>"], cells);
    }

    [Fact]
    public void Restarts_show_no_time_when_there_were_none_and_the_first_pod_ip_wins()
    {
        var cells = new ObjectBuilder("p")
            .Set("spec.containers", """[{"name":"a"}]""")
            .Set("status.phase", "Running")
            .Set("status.podIP", "10.0.0.1")
            .Set("status.podIPs", """[{"ip":"10.0.0.2"},{"ip":"fd00::2"}]""")
            .Set("status.containerStatuses", """[{"name":"a","ready":true,"restartCount":0,"state":{"running":{}},"lastState":{"terminated":{"finishedAt":"2026-11-23T11:00:00Z"}}}]""")
            .PrintWith(Printer);
        Assert.Equal("1/1", cells[1]);
        Assert.Equal("Running", cells[2]);
        Assert.Equal("0", cells[3]);
        Assert.Equal("<unknown>", cells[4]);
        Assert.Equal("10.0.0.2", cells[5]);
    }

    [Fact]
    public void An_init_container_in_progress_shows_init_progress()
    {
        var cells = new ObjectBuilder("p")
            .Set("spec.initContainers", """[{"name":"i1"},{"name":"i2"}]""")
            .Set("spec.containers", """[{"name":"c"}]""")
            .Set("status.phase", "Pending")
            .Set("status.initContainerStatuses", """
                [{"name":"i1","restartCount":0,"state":{"terminated":{"exitCode":0}}},
                 {"name":"i2","restartCount":0,"state":{"running":{}}}]
                """)
            .PrintWith(Printer);
        Assert.Equal("Init:1/2", cells[2]);
        Assert.Equal("0/1", cells[1]);
    }

    [Theory]
    [InlineData("""{"terminated":{"exitCode":2}}""", "Init:ExitCode:2")]
    [InlineData("""{"terminated":{"exitCode":137,"signal":9}}""", "Init:Signal:9")]
    [InlineData("""{"terminated":{"exitCode":1,"reason":"Error"}}""", "Init:Error")]
    [InlineData("""{"waiting":{"reason":"ImagePullBackOff"}}""", "Init:ImagePullBackOff")]
    [InlineData("""{"waiting":{"reason":"PodInitializing"}}""", "Init:0/1")]
    public void A_failing_init_container_names_its_failure(string state, string expected)
    {
        var cells = new ObjectBuilder("p")
            .Set("spec.initContainers", """[{"name":"i"}]""")
            .Set("spec.containers", """[{"name":"c"}]""")
            .Set("status.phase", "Pending")
            .Set("status.initContainerStatuses", $$"""[{"name":"i","restartCount":3,"state":{{state}}}]""")
            .PrintWith(Printer);
        Assert.Equal(expected, cells[2]);
        Assert.Equal("3", cells[3]);
    }

    [Fact]
    public void A_started_sidecar_counts_as_a_container_and_its_restarts_count()
    {
        var cells = new ObjectBuilder("p")
            .Set("spec.initContainers", """[{"name":"proxy","restartPolicy":"Always"}]""")
            .Set("spec.containers", """[{"name":"app"}]""")
            .Set("status.phase", "Running")
            .Set("status.conditions", """[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}]""")
            .Set("status.initContainerStatuses", $$$$"""[{"name":"proxy","ready":true,"started":true,"restartCount":2,"state":{"running":{}},"lastState":{"terminated":{"finishedAt":"{{{{ObjectBuilder.Ago(TimeSpan.FromSeconds(30))}}}}"}}}]""")
            .Set("status.containerStatuses", """[{"name":"app","ready":true,"restartCount":1,"state":{"running":{}}}]""")
            .PrintWith(Printer);
        Assert.Equal(["2/2", "Running", "3 (30s ago)"], cells.Skip(1).Take(3));
    }

    [Theory]
    [InlineData("""{"terminated":{"exitCode":3}}""", "ExitCode:3")]
    [InlineData("""{"terminated":{"exitCode":0,"signal":15}}""", "Signal:15")]
    [InlineData("""{"terminated":{"exitCode":0,"reason":"Completed"}}""", "Completed")]
    [InlineData("""{"waiting":{"reason":"ContainerCreating"}}""", "ContainerCreating")]
    public void A_container_that_is_not_running_names_its_state(string state, string expected)
    {
        var cells = new ObjectBuilder("p")
            .Set("spec.containers", """[{"name":"c"}]""")
            .Set("status.phase", "Running")
            .Set("status.containerStatuses", $$"""[{"name":"c","restartCount":0,"state":{{state}}}]""")
            .PrintWith(Printer);
        Assert.Equal(expected, cells[2]);
    }

    [Fact]
    public void A_completed_container_beside_a_running_one_shows_running_or_not_ready()
    {
        ObjectBuilder Pod(string ready) => new ObjectBuilder("p")
            .Set("spec.containers", """[{"name":"a"},{"name":"b"}]""")
            .Set("status.phase", "Running")
            .Set("status.conditions", $$"""[{"type":"Ready","status":"{{ready}}"}]""")
            .Set("status.containerStatuses", """
                [{"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                 {"name":"b","ready":true,"state":{"running":{}}}]
                """);
        Assert.Equal("Running", Pod("True").PrintWith(Printer)[2]);
        Assert.Equal("NotReady", Pod("False").PrintWith(Printer)[2]);
    }

    [Fact]
    public void Deletion_shows_terminating_unless_the_pod_finished_or_its_node_was_lost()
    {
        ObjectBuilder Pod(string phase) => new ObjectBuilder("p")
            .Set("metadata.deletionTimestamp", "2026-11-23T11:59:00Z")
            .Set("spec.containers", """[{}]""")
            .Set("status.phase", phase);
        Assert.Equal("Terminating", Pod("Running").PrintWith(Printer)[2]);
        Assert.Equal("Succeeded", Pod("Succeeded").PrintWith(Printer)[2]);
        Assert.Equal("Unknown", Pod("Running").Set("status.reason", "NodeLost").PrintWith(Printer)[2]);
    }

    [Fact]
    public void A_scheduling_gated_pod_says_so_and_evicted_pods_show_their_reason()
    {
        var gated = new ObjectBuilder("p")
            .Set("spec.containers", """[{}]""")
            .Set("status.phase", "Pending")
            .Set("status.conditions", """[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]""")
            .PrintWith(Printer);
        Assert.Equal("SchedulingGated", gated[2]);
        var evicted = new ObjectBuilder("p").Set("spec.containers", "[{}]").Set("status.phase", "Failed").Set("status.reason", "Evicted").PrintWith(Printer);
        Assert.Equal("Evicted", evicted[2]);
    }

    [Fact]
    public void Readiness_gates_count_the_true_conditions()
    {
        var cells = new ObjectBuilder("p")
            .Set("spec.containers", "[{}]")
            .Set("spec.readinessGates", """[{"conditionType":"example.com/a"},{"conditionType":"example.com/b"}]""")
            .Set("status.conditions", """[{"type":"example.com/a","status":"True"},{"type":"example.com/b","status":"False"}]""")
            .PrintWith(Printer);
        Assert.Equal("1/2", cells[8]);
    }
}

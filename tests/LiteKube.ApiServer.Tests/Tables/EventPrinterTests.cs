using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class EventPrinterTests
{
    private const string Headers = "LAST SEEN | TYPE | REASON | OBJECT | SUBOBJECT (wide) | SOURCE (wide) | MESSAGE | FIRST SEEN (wide) | COUNT (wide) | NAME (wide)";

    [Fact]
    public void Both_event_apis_have_upstreams_columns()
    {
        Assert.Equal(Headers, PrinterColumns.Headers(new EventPrinter()));
        Assert.Equal(Headers, PrinterColumns.Headers(new EventsV1EventPrinter()));
        Assert.Equal("events.k8s.io", ((LiteKube.ApiServer.Tables.ITablePrinter)new EventsV1EventPrinter()).Group);
        Assert.Equal("", ((LiteKube.ApiServer.Tables.ITablePrinter)new EventPrinter()).Group);
    }

    [Fact]
    public void A_core_event_prints_times_object_source_and_trimmed_message()
    {
        var cells = new ObjectBuilder("web.1")
            .Set("type", "Warning")
            .Set("reason", "BackOff")
            .Set("message", "  Back-off restarting failed container\n")
            .Set("involvedObject", """{"kind":"Pod","name":"web","fieldPath":"spec.containers{web}"}""")
            .Set("source", """{"component":"kubelet","host":"n1"}""")
            .Set("firstTimestamp", ObjectBuilder.Ago(TimeSpan.FromMinutes(10)))
            .Set("lastTimestamp", ObjectBuilder.Ago(TimeSpan.FromSeconds(5)))
            .Set("count", 7)
            .PrintWith(new EventPrinter());
        Assert.Equal(["5s", "Warning", "BackOff", "pod/web", "spec.containers{web}", "kubelet, n1", "Back-off restarting failed container", "10m", "7", "web.1"], cells);
    }

    [Fact]
    public void A_new_style_event_falls_back_to_event_time_reporting_controller_and_a_count_of_one()
    {
        var cells = new ObjectBuilder("e")
            .Set("type", "Normal")
            .Set("reason", "Scheduled")
            .Set("eventTime", "2026-11-23T11:58:00.000000Z")
            .Set("reportingComponent", "default-scheduler")
            .Set("involvedObject", """{"kind":"Node"}""")
            .PrintWith(new EventPrinter());
        Assert.Equal(["2m", "Normal", "Scheduled", "node", "", "default-scheduler", "", "2m", "1", "e"], cells);
        Assert.Equal("<unknown>", new ObjectBuilder("bare").PrintWith(new EventPrinter())[0]);
    }

    [Fact]
    public void An_events_v1_event_reads_regarding_note_series_and_deprecated_fields()
    {
        var cells = new ObjectBuilder("e")
            .Set("type", "Normal")
            .Set("reason", "Pulled")
            .Set("note", "Pulled image")
            .Set("regarding", """{"kind":"Pod","name":"web"}""")
            .Set("reportingController", "kubelet")
            .Set("reportingInstance", "n1")
            .Set("eventTime", ObjectBuilder.Ago(TimeSpan.FromMinutes(30)))
            .Set("deprecatedFirstTimestamp", ObjectBuilder.Ago(TimeSpan.FromMinutes(20)))
            .Set("series", $$"""{"count":4,"lastObservedTime":"{{ObjectBuilder.Ago(TimeSpan.FromSeconds(90))}}"}""")
            .PrintWith(new EventsV1EventPrinter());
        Assert.Equal(["90s", "Normal", "Pulled", "pod/web", "", "kubelet, n1", "Pulled image", "20m", "4", "e"], cells);
    }
}

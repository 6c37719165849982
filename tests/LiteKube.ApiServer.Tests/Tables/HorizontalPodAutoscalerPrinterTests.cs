using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class HorizontalPodAutoscalerPrinterTests
{
    private static readonly HorizontalPodAutoscalerPrinter Printer = new();

    [Fact]
    public void Columns_are_upstreams() =>
        Assert.Equal("NAME | REFERENCE | TARGETS | MINPODS | MAXPODS | REPLICAS | AGE", PrinterColumns.Headers(Printer));

    [Fact]
    public void A_cpu_autoscaler_before_its_first_metrics_shows_unknown_current_utilization()
    {
        var cells = new ObjectBuilder("web", TimeSpan.FromMinutes(4))
            .Set("spec.scaleTargetRef", """{"apiVersion":"apps/v1","kind":"Deployment","name":"web"}""")
            .Set("spec.minReplicas", 1)
            .Set("spec.maxReplicas", 10)
            .Set("spec.metrics", """[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""")
            .PrintWith(Printer);
        Assert.Equal(["web", "Deployment/web", "cpu: <unknown>/80%", "1", "10", "0", "4m"], cells);
    }

    [Fact]
    public void Several_metrics_show_current_values_and_stop_after_two()
    {
        var cells = new ObjectBuilder("web")
            .Set("spec.maxReplicas", 5)
            .Set("spec.metrics", """
                [{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}},
                 {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}},
                 {"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"Value","value":"30"}}}]
                """)
            .Set("status.currentReplicas", 2)
            .Set("status.currentMetrics", """
                [{"type":"Resource","resource":{"name":"memory","current":{"averageValue":"200Mi"}}},
                 {"type":"Pods","pods":{"metric":{"name":"qps"},"current":{"averageValue":"7"}}}]
                """)
            .PrintWith(Printer);
        Assert.Equal(["web", "/", "memory: 200Mi/500Mi, 7/10 + 1 more...", "<unset>", "5", "2"], cells.Take(6));
    }

    [Fact]
    public void Object_and_external_metrics_mark_averages_and_no_metrics_is_none()
    {
        var cells = new ObjectBuilder("h")
            .Set("spec.metrics", """
                [{"type":"Object","object":{"target":{"type":"AverageValue","averageValue":"2"}}},
                 {"type":"External","external":{"target":{"type":"Value","value":"30"}}}]
                """)
            .Set("status.currentMetrics", """[{"type":"Object","object":{"current":{"averageValue":"1"}}},{"type":"External","external":{"current":{"value":"12"}}}]""")
            .PrintWith(Printer);
        Assert.Equal("1/2 (avg), 12/30", cells[2]);
        Assert.Equal("<none>", new ObjectBuilder("h").PrintWith(Printer)[2]);
    }
}

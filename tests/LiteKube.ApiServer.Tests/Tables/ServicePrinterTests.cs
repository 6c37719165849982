using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class ServicePrinterTests
{
    private static readonly ServicePrinter Printer = new();

    [Fact]
    public void Columns_are_upstreams() =>
        Assert.Equal("NAME | TYPE | CLUSTER-IP | EXTERNAL-IP | PORT(S) | AGE | SELECTOR (wide)", PrinterColumns.Headers(Printer));

    [Fact]
    public void A_node_port_service_prints_ports_with_node_ports_and_a_sorted_selector()
    {
        var cells = new ObjectBuilder("web", TimeSpan.FromSeconds(40))
            .Set("spec.type", "NodePort")
            .Set("spec.clusterIPs", """["10.43.0.10"]""")
            .Set("spec.ports", """[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]""")
            .Set("spec.selector", """{"tier":"front","app":"web"}""")
            .PrintWith(Printer);
        Assert.Equal(["web", "NodePort", "10.43.0.10", "<none>", "80:30080/TCP,53/UDP", "40s", "app=web,tier=front"], cells);
    }

    [Fact]
    public void Load_balancer_and_external_name_services_print_their_external_addresses()
    {
        var pending = new ObjectBuilder("lb").Set("spec.type", "LoadBalancer").PrintWith(Printer);
        Assert.Equal("<pending>", pending[3]);
        Assert.Equal("<none>", pending[2]);
        Assert.Equal("<none>", pending[4]);
        var lb = new ObjectBuilder("lb").Set("spec.type", "LoadBalancer")
            .Set("spec.externalIPs", """["203.0.113.9"]""")
            .Set("status.loadBalancer.ingress", """[{"ip":"198.51.100.2"},{"hostname":"lb.example.com"},{"ip":"198.51.100.2"}]""")
            .PrintWith(Printer);
        Assert.Equal("198.51.100.2,lb.example.com,203.0.113.9", lb[3]);
        var external = new ObjectBuilder("db").Set("spec.type", "ExternalName").Set("spec.externalName", "db.example.com").PrintWith(Printer);
        Assert.Equal("db.example.com", external[3]);
        Assert.Equal("<none>", external[6]);
    }
}

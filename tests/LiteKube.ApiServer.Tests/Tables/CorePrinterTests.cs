using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

/// <summary>The small core/v1 printers: Namespace, ConfigMap, Secret, ServiceAccount, Endpoints.</summary>
public sealed class CorePrinterTests
{
    [Fact]
    public void Namespace_configmap_secret_and_serviceaccount_print_their_counts()
    {
        Assert.Equal(["kube-system", "Active", "10s"], new ObjectBuilder("kube-system", TimeSpan.FromSeconds(10)).Set("status.phase", "Active").PrintWith(new NamespacePrinter()));
        Assert.Equal(["cfg", "3", "<unknown>"], new ObjectBuilder("cfg").Set("data", """{"a":"1","b":"2"}""").Set("binaryData", """{"c":"AA=="}""").PrintWith(new ConfigMapPrinter()));
        Assert.Equal(["s", "kubernetes.io/tls", "2", "<unknown>"], new ObjectBuilder("s").Set("type", "kubernetes.io/tls").Set("data", """{"tls.crt":"","tls.key":""}""").PrintWith(new SecretPrinter()));
        Assert.Equal(["default", "0", "60s"], new ObjectBuilder("default", TimeSpan.FromSeconds(60)).PrintWith(new ServiceAccountPrinter()));
        Assert.Equal(["builder", "1", "<unknown>"], new ObjectBuilder("builder").Set("secrets", """[{"name":"t"}]""").PrintWith(new ServiceAccountPrinter()));
        Assert.Equal("NAME | SECRETS | AGE", PrinterColumns.Headers(new ServiceAccountPrinter()));
    }

    [Fact]
    public void Endpoints_print_the_first_three_address_ports_then_how_many_more()
    {
        var printer = new EndpointsPrinter();
        Assert.Equal("NAME | ENDPOINTS | AGE", PrinterColumns.Headers(printer));
        Assert.Equal("<none>", new ObjectBuilder("e").PrintWith(printer)[1]);
        var two = new ObjectBuilder("e").Set("subsets", """[{"addresses":[{"ip":"10.42.0.1"},{"ip":"fd00::1"}],"ports":[{"port":80}]}]""").PrintWith(printer);
        Assert.Equal("10.42.0.1:80,[fd00::1]:80", two[1]);
        var many = new ObjectBuilder("e").Set("subsets", """
            [{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"port":80},{"port":443}]},
             {"addresses":[{"ip":"10.0.0.3"}]}]
            """).PrintWith(printer);
        Assert.Equal("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...", many[1]);
        var headless = new ObjectBuilder("e").Set("subsets", """[{"addresses":[{"ip":"10.0.0.9"}]}]""").PrintWith(printer);
        Assert.Equal("10.0.0.9", headless[1]);
    }

    [Fact]
    public void Resource_quota_splits_requests_and_limits_sorted_by_resource()
    {
        var printer = new ResourceQuotaPrinter();
        Assert.Equal("NAME | REQUEST | LIMIT | AGE", PrinterColumns.Headers(printer));
        var cells = new ObjectBuilder("q", TimeSpan.FromMinutes(3))
            .Set("status.hard", """{"pods":"10","limits.memory":"2Gi","requests.cpu":"1","limits.cpu":"2"}""")
            .Set("status.used", """{"pods":"4","requests.cpu":"500m","limits.cpu":"1"}""")
            .PrintWith(printer);
        Assert.Equal(["q", "pods: 4/10, requests.cpu: 500m/1", "limits.cpu: 1/2, limits.memory: 0/2Gi", "3m"], cells);
    }
}

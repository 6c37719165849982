using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Tests.Services;

/// <summary>The pure allocation rules: what a Service gets on create and update, and what changes hands.</summary>
public sealed class ServiceAllocatorTests
{
    private static readonly ResourceDefinition Services = ResourceCatalog.BuiltIn().Find("", "v1", "services")!;
    private readonly ServiceAllocator _allocator = new(new ServiceNetworkOptions());
    private readonly Random _random = new(42);

    private static JsonObject Service(string spec) =>
        JsonNode.Parse($$"""{"metadata":{"name":"s","namespace":"default"},"spec":{{spec}} }""")!.AsObject();

    private static ServiceHoldings Taken(IEnumerable<string>? ips = null, IEnumerable<int>? ports = null) =>
        new((ips ?? []).ToHashSet(), (ports ?? []).ToHashSet());

    private AllocationChange Plan(JsonObject? old, JsonObject service, ServiceHoldings? taken = null) =>
        _allocator.Plan(Services, old, service, taken ?? ServiceHoldings.Nothing, _random);

    private ApiException Refused(JsonObject? old, JsonObject service, ServiceHoldings? taken = null) =>
        Assert.Throws<ApiException>(() => Plan(old, service, taken));

    [Fact]
    public void The_default_range_is_10_43_0_0_16_with_its_first_address_for_the_kubernetes_service()
    {
        var range = new IpRange(IPNetwork.Parse("10.43.0.0/16"));
        Assert.Equal(65534, range.Size);
        Assert.Equal("10.43.0.1", range.First.ToString());
        Assert.Equal("10.43.255.254", range.At(range.Size).ToString());
        Assert.Null(range.OffsetOf(IPAddress.Parse("10.43.0.0")));
        Assert.Null(range.OffsetOf(IPAddress.Parse("10.43.255.255")));
        Assert.Null(range.OffsetOf(IPAddress.Parse("10.44.0.1")));
        Assert.Equal(256, range.StaticBand);
        Assert.Equal("10.43.0.1", new ServiceNetworkOptions().KubernetesServiceIp.ToString());
        var v6 = new IpRange(IPNetwork.Parse("fd00:43::/112"));
        Assert.Equal(65535, v6.Size);
        Assert.Equal("fd00:43::1", v6.First.ToString());
    }

    [Fact]
    public void A_cluster_ip_service_gets_a_free_address_above_the_static_band_and_single_stack_fields()
    {
        var service = Service("""{"ports":[{"port":80}]}""");
        var change = Plan(null, service, Taken(ips: ["10.43.1.1"]));

        var ip = service["spec"]!["clusterIP"]!.ToString();
        var offset = new IpRange(IPNetwork.Parse("10.43.0.0/16")).OffsetOf(IPAddress.Parse(ip));
        Assert.True(offset > 256, ip);
        Assert.NotEqual("10.43.1.1", ip);
        Assert.Equal($"[\"{ip}\"]", service["spec"]!["clusterIPs"]!.ToJsonString());
        Assert.Equal("""["IPv4"]""", service["spec"]!["ipFamilies"]!.ToJsonString());
        Assert.Equal("SingleStack", service["spec"]!["ipFamilyPolicy"]!.ToString());
        Assert.Equal([ip], change.NewIps);
        Assert.Empty(change.NewPorts);
    }

    [Fact]
    public void A_requested_cluster_ip_is_honoured_when_in_range_and_free_and_refused_otherwise()
    {
        var service = Service("""{"clusterIP":"10.43.0.10","ports":[{"port":80}]}""");
        Assert.Equal(["10.43.0.10"], Plan(null, service).NewIps);

        var taken = Refused(null, Service("""{"clusterIP":"10.43.0.10","ports":[{"port":80}]}"""), Taken(ips: ["10.43.0.10"]));
        Assert.Equal((HttpStatusCode)422, taken.Code);
        Assert.Contains("provided IP is already allocated", taken.Message);
        Assert.Contains("not in the valid range. The range of valid IPs is 10.43.0.0/16",
            Refused(null, Service("""{"clusterIP":"10.0.0.10","ports":[{"port":80}]}""")).Message);
        Assert.Contains("not in the valid range", Refused(null, Service("""{"clusterIP":"10.43.255.255","ports":[{"port":80}]}""")).Message);
        Assert.Contains("must be a valid IP address", Refused(null, Service("""{"clusterIP":"10.43.7","ports":[{"port":80}]}""")).Message);
        Assert.Contains("first value must match", Refused(null, Service("""{"clusterIP":"10.43.0.7","clusterIPs":["10.43.0.8"],"ports":[{"port":80}]}""")).Message);
        Assert.Contains("not configured for dual-stack", Refused(null, Service("""{"ipFamilyPolicy":"RequireDualStack","ports":[{"port":80}]}""")).Message);
        Assert.Contains("not configured on this cluster", Refused(null, Service("""{"ipFamilies":["IPv6"],"ports":[{"port":80}]}""")).Message);
    }

    [Fact]
    public void Headless_and_external_name_services_get_no_address()
    {
        var withSelector = Service("""{"clusterIP":"None","selector":{"app":"x"},"ports":[{"port":80}]}""");
        Assert.Empty(Plan(null, withSelector).NewIps);
        Assert.Equal("""["None"]""", withSelector["spec"]!["clusterIPs"]!.ToJsonString());
        Assert.Equal("SingleStack", withSelector["spec"]!["ipFamilyPolicy"]!.ToString());

        // Upstream's exception: headless without a selector asks for both families.
        var selectorless = Service("""{"clusterIP":"None"}""");
        Plan(null, selectorless);
        Assert.Equal("RequireDualStack", selectorless["spec"]!["ipFamilyPolicy"]!.ToString());
        Assert.Equal("""["IPv4","IPv6"]""", selectorless["spec"]!["ipFamilies"]!.ToJsonString());

        var external = Service("""{"type":"ExternalName","externalName":"db.example.com"}""");
        Assert.Empty(Plan(null, external).NewIps);
        Assert.Null(external["spec"]!["clusterIP"]);
        Assert.Contains("spec.clusterIP: Forbidden", Refused(null, Service("""{"type":"ExternalName","externalName":"x.com","clusterIP":"10.43.0.9"}""")).Message);
        Assert.Contains("spec.externalName: Required value", Refused(null, Service("""{"type":"ExternalName"}""")).Message);
    }

    [Fact]
    public void Node_ports_are_allocated_per_port_shared_by_protocol_and_requested_ones_honoured()
    {
        var service = Service("""
            {"type":"NodePort","ports":[{"name":"a","port":80,"protocol":"TCP"},{"name":"b","port":80,"protocol":"UDP"},{"name":"c","port":443,"nodePort":30443}]}
            """);
        var change = Plan(null, service, Taken(ports: [31000]));

        var ports = service["spec"]!["ports"]!.AsArray().Select(p => p!["nodePort"]!.GetValue<int>()).ToList();
        Assert.Equal(ports[0], ports[1]);
        Assert.Equal(30443, ports[2]);
        Assert.InRange(ports[0], 30000 + 86, 32767);
        Assert.NotEqual(31000, ports[0]);
        Assert.Equal(new HashSet<int> { ports[0], 30443 }, change.NewPorts.ToHashSet());
    }

    [Fact]
    public void Bad_node_ports_are_refused_with_the_field_that_is_wrong()
    {
        Assert.Contains("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
            Refused(null, Service("""{"type":"NodePort","ports":[{"port":80,"nodePort":30080}]}"""), Taken(ports: [30080])).Message);
        Assert.Contains("The range of valid ports is 30000-32767",
            Refused(null, Service("""{"type":"NodePort","ports":[{"port":80,"nodePort":80}]}""")).Message);
        Assert.Contains("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
            Refused(null, Service("""{"type":"ClusterIP","ports":[{"port":80,"nodePort":30080}]}""")).Message);
        Assert.Contains("spec.ports[1].nodePort: Duplicate value",
            Refused(null, Service("""{"type":"NodePort","ports":[{"port":80,"nodePort":30080},{"port":81,"nodePort":30080}]}""")).Message);
        Assert.Contains("spec.healthCheckNodePort",
            Refused(null, Service("""{"type":"NodePort","healthCheckNodePort":30099,"ports":[{"port":80}]}""")).Message);
    }

    [Fact]
    public void A_local_load_balancer_gets_a_health_check_port_and_one_without_node_ports_gets_none()
    {
        var local = Service("""{"type":"LoadBalancer","externalTrafficPolicy":"Local","ports":[{"port":80}]}""");
        var change = Plan(null, local);
        Assert.Equal(2, change.NewPorts.Count);
        Assert.Contains(local["spec"]!["healthCheckNodePort"]!.GetValue<int>(), change.NewPorts);

        var bare = Service("""{"type":"LoadBalancer","allocateLoadBalancerNodePorts":false,"ports":[{"port":80}]}""");
        Assert.Empty(Plan(null, bare).NewPorts);
    }

    [Fact]
    public void An_update_keeps_allocated_values_the_client_left_out_and_refuses_a_new_cluster_ip()
    {
        var old = Service("""{"type":"NodePort","clusterIP":"10.43.3.3","clusterIPs":["10.43.3.3"],"ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],"ports":[{"name":"web","port":80,"nodePort":30100}]}""");
        var put = Service("""{"type":"NodePort","ports":[{"name":"web","port":8080}]}""");

        var change = Plan(old, put, Taken(ips: ["10.43.3.3"], ports: [30100]));

        Assert.Equal("10.43.3.3", put["spec"]!["clusterIP"]!.ToString());
        Assert.Equal(30100, put["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());
        Assert.Empty(change.NewIps.Concat(change.ReleasedIps));
        Assert.Empty(change.NewPorts.Concat(change.ReleasedPorts));
        Assert.Contains("may not change once set",
            Refused(old, Service("""{"type":"NodePort","clusterIP":"10.43.4.4","ports":[{"name":"web","port":80}]}"""), Taken(ips: ["10.43.3.3"])).Message);
    }

    [Fact]
    public void Type_changes_release_and_allocate()
    {
        var nodePort = Service("""{"type":"NodePort","clusterIP":"10.43.3.3","clusterIPs":["10.43.3.3"],"ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],"externalTrafficPolicy":"Cluster","ports":[{"port":80,"nodePort":30100}]}""");
        var toClusterIp = nodePort.DeepClone().AsObject();
        toClusterIp["spec"]!["type"] = "ClusterIP";
        var down = Plan(nodePort, toClusterIp, Taken(ips: ["10.43.3.3"], ports: [30100]));
        Assert.Equal([30100], down.ReleasedPorts);
        Assert.Null(toClusterIp["spec"]!["ports"]![0]!["nodePort"]);
        Assert.Null(toClusterIp["spec"]!["externalTrafficPolicy"]);

        var up = Plan(toClusterIp, nodePort.DeepClone().AsObject().Also(s => s["spec"]!["ports"]![0]!.AsObject().Remove("nodePort")), Taken(ips: ["10.43.3.3"]));
        Assert.Single(up.NewPorts);
        Assert.Empty(up.ReleasedIps);

        var external = Service("""{"type":"ExternalName","externalName":"x.example.com","clusterIP":"10.43.3.3","clusterIPs":["10.43.3.3"],"ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"]}""");
        var toExternal = Plan(Service("""{"type":"ClusterIP","clusterIP":"10.43.3.3","clusterIPs":["10.43.3.3"],"ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],"ports":[{"port":80}]}"""), external, Taken(ips: ["10.43.3.3"]));
        Assert.Equal(["10.43.3.3"], toExternal.ReleasedIps);
        Assert.Null(external["spec"]!["clusterIP"]);

        var back = Service("""{"type":"ClusterIP","ports":[{"port":80}]}""");
        Assert.Single(Plan(external, back).NewIps);
    }

    [Fact]
    public void An_exhausted_pool_is_an_internal_error_as_upstream()
    {
        var tiny = new ServiceAllocator(new ServiceNetworkOptions { ServiceCidr = IPNetwork.Parse("10.43.0.0/30") });
        var taken = Taken(ips: ["10.43.0.1", "10.43.0.2"]);
        var full = Assert.Throws<ApiException>(() => tiny.Plan(Services, null, Service("""{"ports":[{"port":80}]}"""), taken, _random));
        Assert.Equal(HttpStatusCode.InternalServerError, full.Code);
        Assert.Contains("range is full", full.Message);

        var one = Service("""{"ports":[{"port":80}]}""");
        tiny.Plan(Services, null, one, Taken(ips: ["10.43.0.2"]), _random);
        Assert.Equal("10.43.0.1", one["spec"]!["clusterIP"]!.ToString());
    }
}

internal static class JsonObjectTestExtensions
{
    public static JsonObject Also(this JsonObject obj, Action<JsonObject> change)
    {
        change(obj);
        return obj;
    }
}

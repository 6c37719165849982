using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Services;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Tests.Subresources;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Tests.Services;

/// <summary>Service allocation through the API: every write path, and the kubernetes Service.</summary>
public sealed class ServiceAllocationHttpTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    private Task<ServiceHoldings> TakenAsync() =>
        ((ServiceAllocationHook)fixture.Server.Services.GetServices<IStorageHook>().Single(h => h is ServiceAllocationHook)).TakenAsync(CancellationToken.None);

    private static string Service(string name, string spec) => $$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{name}}"},"spec":{{spec}} }""";

    [Fact]
    public async Task The_kubernetes_service_has_the_first_ip_and_endpoints_that_list_the_server()
    {
        var service = (await fixture.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/services/kubernetes")).Body;
        Assert.Equal("10.43.0.1", service["spec"]!["clusterIP"]!.ToString());
        var port = service["spec"]!["ports"]![0]!;
        Assert.Equal("https", port["name"]!.ToString());
        Assert.Equal(443, port["port"]!.GetValue<int>());
        Assert.Equal(6443, port["targetPort"]!.GetValue<int>());

        var endpoints = (await fixture.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/endpoints/kubernetes")).Body;
        Assert.Equal(fixture.Server.Address, endpoints["subsets"]![0]!["addresses"]![0]!["ip"]!.ToString());
        Assert.Equal(6443, endpoints["subsets"]![0]!["ports"]![0]!["port"]!.GetValue<int>());
        var slice = (await fixture.SendAsync(HttpMethod.Get, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")).Body;
        Assert.Equal(fixture.Server.Address, slice["endpoints"]![0]!["addresses"]![0]!.ToString());
        Assert.Contains("10.43.0.1", (await TakenAsync()).Ips);
    }

    [Fact]
    public async Task Ensuring_the_kubernetes_service_again_changes_nothing_and_repairs_moved_endpoints()
    {
        var objects = fixture.Server.Services.GetRequiredService<ObjectStore>();
        var catalog = fixture.Server.Services.GetRequiredService<ResourceCatalog>();
        var network = fixture.Server.Services.GetRequiredService<ServiceNetworkOptions>();
        var before = (await fixture.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/services/kubernetes")).Body["metadata"]!["resourceVersion"]!.ToString();

        await KubernetesService.EnsureAsync(objects, catalog, network, 6443, CancellationToken.None);
        var endpoints = (await fixture.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/endpoints/kubernetes")).Body;
        await KubernetesService.ReconcileEndpointsAsync(objects, catalog, [IPAddress.Parse("127.9.9.9")], 6443, CancellationToken.None);
        var moved = (await fixture.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/endpoints/kubernetes")).Body;
        await KubernetesService.ReconcileEndpointsAsync(objects, catalog, [IPAddress.Parse(fixture.Server.Address)], 6443, CancellationToken.None);

        Assert.Equal(before, (await fixture.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/services/kubernetes")).Body["metadata"]!["resourceVersion"]!.ToString());
        Assert.Equal("127.9.9.9", moved["subsets"]![0]!["addresses"]![0]!["ip"]!.ToString());
        Assert.NotEqual(endpoints["metadata"]!["resourceVersion"]!.ToString(), moved["metadata"]!["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task A_deleted_service_gives_back_its_ip_and_ports_and_a_taken_ip_is_a_422()
    {
        var ns = await fixture.NamespaceAsync();
        var first = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services",
            Service("a", """{"type":"NodePort","clusterIP":"10.43.0.50","ports":[{"port":80,"nodePort":30050}]}"""));
        Assert.Equal(HttpStatusCode.Created, first.Code);
        Assert.Equal("10.43.0.50", first.Body["spec"]!["clusterIP"]!.ToString());

        var clash = SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services",
            Service("b", """{"clusterIP":"10.43.0.50","ports":[{"port":80}]}""")));
        Assert.Equal("spec.clusterIPs", clash["details"]!["causes"]![0]!["field"]!.ToString());
        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services",
            Service("b", """{"type":"NodePort","ports":[{"port":80,"nodePort":30050}]}""")));
        SharedServer.AssertStatus(HttpStatusCode.NotFound, "NotFound", await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/services/b"));

        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/services/a")).Code);
        var taken = await TakenAsync();
        Assert.DoesNotContain("10.43.0.50", taken.Ips);
        Assert.DoesNotContain(30050, taken.Ports);

        var reuse = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services",
            Service("b", """{"type":"NodePort","clusterIP":"10.43.0.50","ports":[{"port":80,"nodePort":30050}]}"""));
        Assert.Equal(HttpStatusCode.Created, reuse.Code);
    }

    [Fact]
    public async Task A_patch_to_type_cluster_ip_releases_node_ports_and_a_put_without_cluster_ip_keeps_it()
    {
        var ns = await fixture.NamespaceAsync();
        var created = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services",
            Service("a", """{"type":"NodePort","selector":{"app":"a"},"ports":[{"name":"web","port":80,"nodePort":30060}]}"""));
        var ip = created.Body["spec"]!["clusterIP"]!.ToString();

        var patched = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/services/a", """{"spec":{"type":"ClusterIP"}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched.Code);
        Assert.Null(patched.Body["spec"]!["ports"]![0]!["nodePort"]);
        Assert.DoesNotContain(30060, (await TakenAsync()).Ports);

        var put = await fixture.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/services/a",
            Service("a", """{"type":"NodePort","selector":{"app":"a"},"ports":[{"name":"web","port":80}]}"""));
        Assert.Equal(HttpStatusCode.OK, put.Code);
        Assert.Equal(ip, put.Body["spec"]!["clusterIP"]!.ToString());
        var nodePort = put.Body["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>();
        Assert.Contains(nodePort, (await TakenAsync()).Ports);

        SharedServer.AssertStatus((HttpStatusCode)422, "Invalid", await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/services/a",
            """{"spec":{"clusterIP":"10.43.9.9","clusterIPs":["10.43.9.9"]}}""", "application/merge-patch+json"));
        Assert.Equal(ip, (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/services/a")).Body["spec"]!["clusterIP"]!.ToString());
    }

    [Fact]
    public async Task An_external_name_service_gets_no_ip_until_it_changes_type()
    {
        var ns = await fixture.NamespaceAsync();
        var created = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/services",
            Service("ext", """{"type":"ExternalName","externalName":"db.example.com"}"""));
        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Null(created.Body["spec"]!["clusterIP"]);
        Assert.Null(created.Body["spec"]!["ipFamilies"]);

        var changed = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/services/ext",
            """{"spec":{"type":"ClusterIP","externalName":null,"ports":[{"port":80}]}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, changed.Code);
        Assert.Contains(changed.Body["spec"]!["clusterIP"]!.ToString(), (await TakenAsync()).Ips);
    }
}

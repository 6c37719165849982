using LiteKube.ApiServer.Tests.Subresources;

namespace LiteKube.ApiServer.Tests.Services;

/// <summary>kubectl create service shows the allocated IP and ports. (1.32+ sends protobuf for
/// Services, which the body decoder does not read yet: the JSON clients run here.)</summary>
public sealed class KubectlServiceTests(SharedServer fixture) : IClassFixture<SharedServer>
{
    public static TheoryData<string> Clients() =>
    [
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.27",
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.31",
    ];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Kubectl_create_service_shows_the_allocated_cluster_ip_and_node_ports(string kubectl)
    {
        var ns = await fixture.NamespaceAsync();
        var server = fixture.Server;
        // The rows share one server, so each asks for its own node port.
        var port = (30100 + int.Parse(kubectl[^2..])).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var clusterIp = await server.KubectlAsync(kubectl, null, "create", "service", "clusterip", "web", "-n", ns, "--tcp=80:8080");
        Assert.True(clusterIp.ExitCode == 0, clusterIp.StandardError);
        var nodePort = await server.KubectlAsync(kubectl, null, "create", "service", "nodeport", "edge", "-n", ns, "--tcp=80:8080", "--node-port=" + port);
        Assert.True(nodePort.ExitCode == 0, nodePort.StandardError);
        var headless = await server.KubectlAsync(kubectl, null, "create", "service", "clusterip", "db", "-n", ns, "--clusterip=None");
        Assert.True(headless.ExitCode == 0, headless.StandardError);

        var ip = (await server.KubectlAsync(kubectl, null, "get", "service", "web", "-n", ns, "-o", "jsonpath={.spec.clusterIP}")).StandardOutput;
        Assert.StartsWith("10.43.", ip);
        var table = await server.KubectlAsync(kubectl, null, "get", "services", "-n", ns);
        Assert.True(table.ExitCode == 0, table.StandardError);
        Assert.Matches(@"web\s+ClusterIP\s+" + System.Text.RegularExpressions.Regex.Escape(ip) + @"\s+<none>\s+80/TCP", table.StandardOutput);
        Assert.Matches(@"edge\s+NodePort\s+10\.43\.\d+\.\d+\s+<none>\s+80:" + port + "/TCP", table.StandardOutput);
        Assert.Matches(@"db\s+ClusterIP\s+None\s+", table.StandardOutput);

        var clash = await server.KubectlAsync(kubectl, null, "create", "service", "nodeport", "other", "-n", ns, "--tcp=81:81", "--node-port=" + port);
        Assert.NotEqual(0, clash.ExitCode);
        Assert.Contains("provided port is already allocated", clash.StandardError);

        var kubernetes = await server.KubectlAsync(kubectl, null, "get", "service", "kubernetes", "-n", "default");
        Assert.Matches(@"kubernetes\s+ClusterIP\s+10\.43\.0\.1\s+<none>\s+443/TCP", kubernetes.StandardOutput);
    }
}

using System.Net;
using LiteKube.Cluster.Kubeconfig;

namespace LiteKube.Cluster.Tests.Kubeconfig;

public sealed class KubeconfigServerTests
{
    [Theory]
    [InlineData("0.0.0.0", 6443, "https://127.0.0.1:6443/")]
    [InlineData("127.0.0.12", 6443, "https://127.0.0.12:6443/")]
    [InlineData("192.168.1.10", 7443, "https://192.168.1.10:7443/")]
    [InlineData("::", 6443, "https://[::1]:6443/")]
    public void Kubeconfig_points_at_the_bind_address_or_loopback_when_binding_everywhere(string bind, int port, string expected)
    {
        Assert.Equal(expected, KubeconfigServer.For(IPAddress.Parse(bind), port).ToString());
    }
}

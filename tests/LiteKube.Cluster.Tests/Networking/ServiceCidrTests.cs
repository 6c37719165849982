using System.Net;
using LiteKube.Cluster.Networking;

namespace LiteKube.Cluster.Tests.Networking;

public sealed class ServiceCidrTests
{
    [Theory]
    [InlineData("10.43.0.0/16", "10.43.0.1")]
    [InlineData("10.96.0.0/12", "10.96.0.1")]
    [InlineData("192.168.7.0/24", "192.168.7.1")]
    [InlineData("172.16.0.16/28", "172.16.0.17")]
    public void First_service_address_is_the_network_address_plus_one(string cidr, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), ServiceCidr.Parse(cidr).FirstServiceAddress);
    }

    [Fact]
    public void Default_is_k3s_range()
    {
        Assert.Equal(IPAddress.Parse("10.43.0.1"), ServiceCidr.Parse(ServiceCidr.Default).FirstServiceAddress);
    }

    [Theory]
    [InlineData("10.43.0.0", "not a CIDR range")]
    [InlineData("banana/16", "not a CIDR range")]
    [InlineData("10.43.0.0/33", "not a CIDR range")]
    [InlineData("10.43.0.5/16", "host bits set")]
    [InlineData("fd00::/64", "not an IPv4 range")]
    [InlineData("10.43.0.0/30", "too small")]
    public void Bad_ranges_are_refused_with_the_reason(string cidr, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ServiceCidr.Parse(cidr));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(cidr, error.Message, StringComparison.Ordinal);
    }
}

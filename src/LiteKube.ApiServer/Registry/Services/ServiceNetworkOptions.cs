using System.Net;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>Where Services get their addresses: cluster IPs from <see cref="ServiceCidr"/> and
/// node ports from [<see cref="NodePortFirst"/>, <see cref="NodePortLast"/>] (both inclusive).
/// The API registers the defaults (K3s's 10.43.0.0/16 and upstream's 30000-32767) unless the
/// host registered its own (<c>--service-cidr</c>) before <c>AddKubernetesApi</c>.</summary>
public sealed record ServiceNetworkOptions
{
    public IPNetwork ServiceCidr { get; init; } = IPNetwork.Parse("10.43.0.0/16");

    public int NodePortFirst { get; init; } = 30000;

    public int NodePortLast { get; init; } = 32767;

    /// <summary>The first address of the range: the <c>kubernetes</c> Service's cluster IP.</summary>
    public IPAddress KubernetesServiceIp => new IpRange(ServiceCidr).First;
}

using System.Net;
using System.Net.Sockets;

namespace LiteKube.Cluster.Networking;

/// <summary>The range ClusterIPs come from (<c>--service-cidr</c>, default 10.43.0.0/16 as in
/// K3s). Its first usable address is the <c>kubernetes</c> Service's ClusterIP, which is why
/// the API server's serving certificate names it.</summary>
public sealed record ServiceCidr
{
    public const string Default = "10.43.0.0/16";

    private ServiceCidr(IPNetwork network) => Network = network;

    public IPNetwork Network { get; }

    /// <summary>The network address plus one: 10.43.0.1 for 10.43.0.0/16.</summary>
    public IPAddress FirstServiceAddress
    {
        get
        {
            var bytes = Network.BaseAddress.GetAddressBytes();
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                if (++bytes[i] != 0)
                {
                    break;
                }
            }
            return new IPAddress(bytes);
        }
    }

    /// <summary>Parses <c>a.b.c.d/n</c>. Refuses host bits set (10.43.0.5/16 is a typo for
    /// something, not a network), IPv6 (not served yet) and ranges too small to hold a
    /// Service besides <c>kubernetes</c>.</summary>
    /// <exception cref="FormatException">With a message that says what is wrong.</exception>
    public static ServiceCidr Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPNetwork.TryParse(text, out var network) || !IPAddress.TryParse(text[..slash], out var address))
        {
            throw new FormatException($"'{text}' is not a CIDR range (for example {Default})");
        }
        if (!address.Equals(network.BaseAddress))
        {
            throw new FormatException($"'{text}' has host bits set; give the network address (for example {network})");
        }
        if (network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new FormatException($"'{text}' is not an IPv4 range; only IPv4 service ranges are supported");
        }
        if (network.PrefixLength > 28)
        {
            throw new FormatException($"'{text}' is too small; use a prefix of /28 or shorter");
        }
        return new ServiceCidr(network);
    }

    public override string ToString() => Network.ToString();
}

using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LiteKube.Host.Settings;

/// <summary>This machine's addresses, for defaults and for the join commands add-node prints.</summary>
internal static class LocalAddresses
{
    /// <summary>The non-loopback IPv4 addresses of interfaces that are up, in interface order.</summary>
    public static IEnumerable<IPAddress> NonLoopback() =>
        from nic in NetworkInterface.GetAllNetworkInterfaces()
        where nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback
        from unicast in nic.GetIPProperties().UnicastAddresses
        where unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address)
        select unicast.Address;
}

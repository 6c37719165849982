using System.Net;

namespace LiteKube.Cluster.Kubeconfig;

/// <summary>Which URL the admin kubeconfig on a server's disk points at.</summary>
public static class KubeconfigServer
{
    /// <summary>The bind address when the server listens on one address; 127.0.0.1 when it
    /// listens on all of them (the kubeconfig is first used on the machine itself, and loopback
    /// keeps working when the machine's network address changes).</summary>
    public static Uri For(IPAddress bindAddress, int apiPort)
    {
        var host = bindAddress.Equals(IPAddress.Any) ? IPAddress.Loopback
            : bindAddress.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : bindAddress;
        return new Uri($"https://{new IPEndPoint(host, apiPort)}");
    }
}

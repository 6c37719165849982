using System.Net;
using System.Net.Sockets;
using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary>Where the server's etcd API listens (ARCHITECTURE section 1: loopback only).</summary>
public sealed class EtcdListenerTests
{
    [Fact]
    public async Task Etcd_api_listens_on_the_bind_address_when_it_is_loopback_and_answers_endpoint_status()
    {
        await using var node = await LiteKubeProcess.StartAsync();

        var status = await node.EtcdctlAsync("endpoint", "status");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains(node.EtcdEndpoint, status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"etcd API on {node.EtcdEndpoint},", node.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Etcd_api_stays_on_127_0_0_1_when_the_bind_address_is_not_loopback()
    {
        var port = FreePortOn(IPAddress.Loopback);
        // Binding everywhere also opens the Kubernetes API and the cluster listener everywhere:
        // on free ports, so that this test never meets a real server's 6443 or 25000.
        var apiPort = FreePortOn(IPAddress.Any);
        await using var node = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions
        {
            PassBindAddress = false,
            ExtraArguments = ["--bind-address", "0.0.0.0", "--etcd-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--api-port", apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--cluster-port", FreePortOn(IPAddress.Any).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        });

        var endpoint = $"http://127.0.0.1:{port}";
        Assert.Contains($"etcd API on {endpoint},", node.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Kubernetes API on https://127.0.0.1:{apiPort},", node.StandardOutput, StringComparison.Ordinal);
        var put = await EtcdctlProgram.RunAsync(endpoint, null, ["put", "/loopback-only", "yes"]);
        Assert.True(put.ExitCode == 0, put.ToString());
    }

    private static int FreePortOn(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

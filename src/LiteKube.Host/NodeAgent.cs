using k8s;
using LiteKube.Agent.Registration;
using LiteKube.ApiServer.Discovery;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host;

/// <summary>The node agent's parts that run inside a server today: the Node registration and
/// its Lease heartbeat, talking to this server's API with the node's own credentials.</summary>
internal sealed class NodeAgent : IAsyncDisposable
{
    private readonly NodeRegistrar registrar;
    private readonly Kubernetes client;

    private NodeAgent(NodeRegistrar registrar, Kubernetes client)
    {
        this.registrar = registrar;
        this.client = client;
    }

    public static async Task<NodeAgent> StartAsync(ServerSettings settings, string kubeconfigPath, ILoggerFactory loggerFactory,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var options = new NodeRegistrationOptions
        {
            NodeName = settings.NodeName,
            InternalIp = settings.AdvertiseAddress,
            Version = ServerVersion.GitVersion,
        };
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath));
        var registrar = new NodeRegistrar(options, MachineFacts.Read(settings.DataDirectory), client, time,
            loggerFactory.CreateLogger<NodeRegistrar>());
        await registrar.StartAsync(cancellationToken);
        return new NodeAgent(registrar, client);
    }

    /// <summary>Stops renewing and reports the Node NotReady (reason NodeLeft).</summary>
    public async Task MarkLeftAsync(CancellationToken cancellationToken)
    {
        await StopRegistrarAsync();
        await registrar.MarkLeftAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopRegistrarAsync();
        registrar.Dispose();
        client.Dispose();
    }

    private async Task StopRegistrarAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await registrar.StopAsync(timeout.Token);
    }
}

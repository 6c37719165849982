using k8s;
using LiteKube.Agent.Registration;
using LiteKube.ApiServer.Discovery;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host;

/// <summary>The node agent's parts that run inside a server today: the Node registration and
/// its Lease heartbeat, talking to this server's API with the node's own credentials.</summary>
/// <remarks>It starts in the background: building its Kubernetes client (parsing the kubeconfig,
/// loading the client library) took 0.8-2.2 s of a fresh process's time, which the server's
/// ready line and every join waited for. Nothing the server serves depends on it.</remarks>
internal sealed partial class NodeAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly Task<Parts?> started;

    private NodeAgent(Func<CancellationToken, Task<Parts?>> start) => started = Task.Run(() => start(stopping.Token));

    private sealed record Parts(NodeRegistrar Registrar, Kubernetes Client);

    public static NodeAgent Start(ServerSettings settings, string kubeconfigPath, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var logger = loggerFactory.CreateLogger<NodeAgent>();
        var options = new NodeRegistrationOptions
        {
            NodeName = settings.NodeName,
            InternalIp = settings.AdvertiseAddress,
            Version = ServerVersion.GitVersion,
        };
        return new NodeAgent(async cancellationToken =>
        {
            try
            {
                var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath));
                var registrar = new NodeRegistrar(options, MachineFacts.Read(settings.DataDirectory), client, time,
                    loggerFactory.CreateLogger<NodeRegistrar>());
                await registrar.StartAsync(cancellationToken);
                return new Parts(registrar, client);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStartFailed(logger, settings.NodeName, e);
                return null;
            }
        });
    }

    /// <summary>Stops renewing and reports the Node NotReady (reason NodeLeft).</summary>
    public async Task MarkLeftAsync(CancellationToken cancellationToken)
    {
        if (await PartsAsync() is { } parts)
        {
            await StopRegistrarAsync(parts);
            await parts.Registrar.MarkLeftAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (await PartsAsync() is { } parts)
        {
            await StopRegistrarAsync(parts);
            parts.Registrar.Dispose();
            parts.Client.Dispose();
        }

        stopping.Dispose();
    }

    private async Task<Parts?> PartsAsync()
    {
        try
        {
            return await started;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task StopRegistrarAsync(Parts parts)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await parts.Registrar.StopAsync(timeout.Token);
    }

    [LoggerMessage(EventId = 48, Level = LogLevel.Error, Message = "node {Node}: the node agent did not start; the node will not be registered")]
    private static partial void LogStartFailed(ILogger logger, string node, Exception exception);
}

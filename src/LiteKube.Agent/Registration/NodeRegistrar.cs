using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.Agent.Registration;

/// <summary>
/// Registers this machine as a Node through the Kubernetes API (over HTTPS, with the node's own
/// credentials, like any kubelet) and keeps it alive: the Lease in kube-node-lease is renewed
/// every <see cref="NodeRegistrationOptions.RenewInterval"/>, the status is written when it
/// changes and at least every <see cref="NodeRegistrationOptions.StatusReportInterval"/>.
/// Level-based: every round re-reads the Node and Lease and repairs what is missing, so a
/// deleted Node or Lease comes back and an API server that is not up yet is simply retried.
/// </summary>
public sealed partial class NodeRegistrar(
    NodeRegistrationOptions options, MachineFacts machine, IKubernetes client, TimeProvider time, ILogger<NodeRegistrar> logger)
    : BackgroundService
{
    private DateTime lastStatusWrite = DateTime.MinValue;
    private string? lastFailure;

    /// <summary>Completes after the first round that registered the Node and its Lease.</summary>
    public Task Registered => registered.Task;

    private readonly TaskCompletionSource registered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(stoppingToken).ConfigureAwait(false);
                registered.TrySetResult();
                if (lastFailure is not null)
                {
                    LogRecovered(logger, options.NodeName);
                    lastFailure = null;
                }
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException && !stoppingToken.IsCancellationRequested)
            {
                // The API may not listen yet, or lost its datastore leader: try again next round,
                // logging each distinct problem once rather than every 10 s.
                var failure = e is HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Response.Content}" : e.Message;
                if (failure != lastFailure)
                {
                    LogFailed(logger, options.NodeName, failure);
                    lastFailure = failure;
                }
            }

            try
            {
                await Task.Delay(options.RenewInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: the Node exists with our labels and a current status; the Lease is renewed.</summary>
    internal async Task SyncAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var node = await ReadAsync(() => client.CoreV1.ReadNodeAsync(options.NodeName, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (node is null)
        {
            node = await client.CoreV1.CreateNodeAsync(NodeManifest.New(options, machine, now), cancellationToken: cancellationToken).ConfigureAwait(false);
            LogRegistered(logger, options.NodeName);
        }
        else if (NodeManifest.MissingLabels(node, options, machine) is { } labels)
        {
            var patch = new V1Patch(new { metadata = new { labels } }, V1Patch.PatchType.MergePatch);
            node = await client.CoreV1.PatchNodeAsync(patch, options.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var desired = NodeManifest.Status(options, machine, node.Status, now);
        if (NodeManifest.Differs(node.Status, desired) || now - lastStatusWrite >= options.StatusReportInterval)
        {
            node.Status = desired;
            node = await client.CoreV1.ReplaceNodeStatusAsync(node, options.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
            lastStatusWrite = now;
        }

        await RenewLeaseAsync(node, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports the Node NotReady because it left; call after stopping the registrar,
    /// which would otherwise report it Ready again.</summary>
    public async Task MarkLeftAsync(CancellationToken cancellationToken)
    {
        var node = await ReadAsync(() => client.CoreV1.ReadNodeAsync(options.NodeName, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (node is null)
        {
            return;
        }

        node.Status = NodeManifest.Left(node.Status, time.GetUtcNow().UtcDateTime);
        await client.CoreV1.ReplaceNodeStatusAsync(node, options.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task RenewLeaseAsync(V1Node node, DateTime now, CancellationToken cancellationToken)
    {
        var lease = await ReadAsync(() => client.CoordinationV1.ReadNamespacedLeaseAsync(
            options.NodeName, NodeLeaseManifest.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (lease is null)
        {
            await client.CoordinationV1.CreateNamespacedLeaseAsync(
                NodeLeaseManifest.New(options, node, now), NodeLeaseManifest.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(
            NodeLeaseManifest.Renew(lease, node, options, now), options.NodeName, NodeLeaseManifest.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T?> ReadAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "registered node {Node}")]
    private static partial void LogRegistered(ILogger logger, string node);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "node {Node}: cannot update its registration yet: {Problem}")]
    private static partial void LogFailed(ILogger logger, string node, string problem);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "node {Node}: registration is current again")]
    private static partial void LogRecovered(ILogger logger, string node);
}

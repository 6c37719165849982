using LiteKube.ApiServer.Resources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>
/// Upstream's "lease" endpoint reconciler (pkg/controlplane/reconcilers/lease.go): every
/// <see cref="ApiServerLeases.RenewInterval"/> this server renews its lease, then makes the
/// <c>kubernetes</c> Endpoints and EndpointSlice list exactly the servers with a live lease.
/// The first pass runs before the server starts serving; a graceful stop removes this server
/// at once, a crash after its lease expires (15 s) when another server next reconciles.
/// <para>
/// Level-based and safe with several servers: each pass reads the leases and writes the same
/// content for the same leases, and the writes are conditional. It does not guarantee that a
/// dead server leaves the list before its TTL, nor that a server listed is ready to serve.
/// </para>
/// </summary>
public sealed partial class KubernetesEndpointsReconciler(
    ObjectStore objects, ResourceCatalog catalog, ApiServerLeases leases, ApiServerEndpoint endpoint, TimeProvider time,
    ILogger<KubernetesEndpointsReconciler> logger) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _pass = new(1, 1);
    private ITimer? _timer;
    private bool _stopped;

    /// <summary>One pass: renew this server's lease, then write the endpoints from the leases.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }

            await leases.RenewAsync(endpoint.Address, cancellationToken).ConfigureAwait(false);
            var live = await leases.ListAsync(cancellationToken).ConfigureAwait(false);
            await KubernetesService.ReconcileEndpointsAsync(objects, catalog, live, endpoint.Port, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pass.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        _timer = time.CreateTimer(_ => _ = TickAsync(), null, ApiServerLeases.RenewInterval, ApiServerLeases.RenewInterval);
    }

    /// <summary>Bounds the removal on stop: a datastore that lost its quorum must not hold up
    /// the stop, and the lease expires on its own within the TTL anyway.</summary>
    public static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Removes this server's lease and rewrites the endpoints without it, so that
    /// clients stop being sent here now rather than after the TTL. Never fails the stop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(RemoveTimeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _pass.WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogRemoveSkipped(logger, endpoint.Address.ToString());
            return;
        }

        try
        {
            _stopped = true;
            await leases.RemoveAsync(endpoint.Address, bounded.Token).ConfigureAwait(false);
            var live = await leases.ListAsync(bounded.Token).ConfigureAwait(false);
            if (live.Count > 0)
            {
                await KubernetesService.ReconcileEndpointsAsync(objects, catalog, live, endpoint.Port, bounded.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // The lease expires on its own: the others drop this server within the TTL.
            LogRemoveFailed(logger, endpoint.Address.ToString(), e);
        }
        finally
        {
            _pass.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        _pass.Dispose();
    }

    private async Task TickAsync()
    {
        try
        {
            await ReconcileAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Stopped between the tick and the pass.
        }
        catch (Exception e)
        {
            // Retried on the next tick; the lease outlives one missed renewal.
            LogPassFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "kubernetes endpoints: renewing the lease or writing the endpoints failed; retried in 10 s")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "kubernetes endpoints: removing {Address} on stop failed; it leaves the endpoints when its lease expires")]
    private static partial void LogRemoveFailed(ILogger logger, string address, Exception exception);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "kubernetes endpoints: a pass was still running on stop; {Address} leaves the endpoints when its lease expires")]
    private static partial void LogRemoveSkipped(ILogger logger, string address);
}

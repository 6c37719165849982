using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;
using Microsoft.Extensions.Hosting;

namespace LiteKube.ApiServer.Registry.Watching;

/// <summary>One <see cref="WatchCache"/> per stored resource, all started with the server so that
/// any resourceVersion a list returns can be watched from.</summary>
public sealed class WatchCaches(ResourceCatalog catalog, IKeyValueStore store) : BackgroundService
{
    private readonly Dictionary<string, WatchCache> _caches = catalog.Resources
        .Where(r => r.Verbs.Contains("watch"))
        .DistinctBy(r => r.StoragePrefix)
        .ToDictionary(r => r.StoragePrefix, r => new WatchCache(r, store));

    public WatchCache For(ResourceDefinition resource) => _caches[resource.StoragePrefix];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        // Ready only once every cache knows its starting revision.
        await Task.WhenAll(_caches.Values.Select(c => c.Started)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_caches.Values.Select(c => RunAsync(c, stoppingToken)));

    private static async Task RunAsync(WatchCache cache, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await cache.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DatastoreException)
            {
                // The datastore is restarting or stopping: watchers were dropped; try again shortly.
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
        }
    }
}

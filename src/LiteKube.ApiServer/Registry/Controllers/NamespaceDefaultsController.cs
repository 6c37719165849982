using System.Threading.Channels;
using LiteKube.ApiServer.Registry.Watching;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Selectors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.ApiServer.Registry.Controllers;

/// <summary>
/// Runs the ServiceAccount controller and the root CA publisher inside the API server, because
/// LiteKube has no controllers layer yet. It keeps a <see cref="NamespaceDefaultsView"/> current
/// from three watch caches (namespaces; ServiceAccounts named <c>default</c>; ConfigMaps named
/// <c>kube-root-ca.crt</c>: one list each, then one cache watcher; a dropped watcher lists
/// again), and after each burst of changes, or every <see cref="ResyncInterval"/>, decides from
/// the whole view and carries the steps out through <see cref="NamespaceDefaultsExecutor"/>.
/// <para>
/// Every server runs it; that is safe because creates of an existing object fail and restores
/// re-read, so a second server doing the same step changes nothing. It does not guarantee that
/// only one server acts. TODO(controllers): move it to the controllers layer, under leader
/// election, when that layer exists, as upstream runs both in kube-controller-manager.
/// </para>
/// </summary>
public sealed partial class NamespaceDefaultsController(
    ResourceCatalog catalog, ObjectStore objects, WatchCaches caches, NamespaceDefaultsExecutor executor, RootCaPublisherOptions rootCa,
    TimeProvider time, ILogger<NamespaceDefaultsController> logger)
    : BackgroundService
{
    /// <summary>How often the decisions are taken even when nothing changed (a failed step is retried then).</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(5);

    /// <summary>Changes arriving within this window are handled in one pass.</summary>
    public static readonly TimeSpan Batching = TimeSpan.FromMilliseconds(50);

    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NamespaceDefaultsView _view = new();

    private IReadOnlyList<(ObservedKind Kind, ResourceDefinition Resource, string? Name)> Feeds =>
    [
        (ObservedKind.Namespace, catalog.Find("", "v1", "namespaces")!, null),
        (ObservedKind.ServiceAccount, catalog.Find("", "v1", "serviceaccounts")!, ServiceAccountController.DefaultName),
        (ObservedKind.ConfigMap, catalog.Find("", "v1", "configmaps")!, RootCaPublisher.ConfigMapName),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var feeds = Feeds.Select(f => FeedAsync(f.Kind, f.Resource, f.Name, stoppingToken)).ToList();
        try
        {
            await ReconcileLoopAsync(feeds.Count, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(feeds).ConfigureAwait(false);
    }

    private async Task ReconcileLoopAsync(int feedCount, CancellationToken stoppingToken)
    {
        var synced = new HashSet<ObservedKind>();
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var resync = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                resync.CancelAfter(ResyncInterval);
                try
                {
                    await _changes.Reader.WaitToReadAsync(resync.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Quiet: look at the world anyway.
                }
            }

            await Task.Delay(Batching, time, stoppingToken).ConfigureAwait(false);
            while (_changes.Reader.TryRead(out var change))
            {
                change.ApplyTo(_view);
                if (change.Relist is not null)
                {
                    synced.Add(change.Kind);
                }
            }

            // Decide only on a complete view: before the ServiceAccounts were listed, a missing
            // one may just not be loaded yet.
            if (synced.Count == feedCount)
            {
                await PassAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PassAsync(CancellationToken stoppingToken)
    {
        var actions = ServiceAccountController.Decide(_view);
        actions.AddRange(RootCaPublisher.Decide(_view, rootCa.CaBundlePem));
        foreach (var action in actions)
        {
            try
            {
                if (await executor.RunAsync(action, stoppingToken).ConfigureAwait(false))
                {
                    LogStep(action.GetType().Name, action.Namespace);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStepFailed(e, action.GetType().Name, action.Namespace);
            }
        }
    }

    /// <summary>Lists one kind into the view, then follows its watch cache (only objects of
    /// <paramref name="name"/>, when given); lists again when the cache drops the watcher.</summary>
    private async Task FeedAsync(ObservedKind kind, ResourceDefinition resource, string? name, CancellationToken stoppingToken)
    {
        var cache = caches.For(resource);
        await cache.Started.WaitAsync(stoppingToken).ConfigureAwait(false);
        var fields = name is null ? FieldSelector.Everything : FieldSelector.Parse($"metadata.name={name}", resource);
        var filter = new WatchFilter("", LabelSelector.Everything, fields);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (items, revision, _) = await objects.ListAsync(resource, "", null, 0, 0, stoppingToken).ConfigureAwait(false);
                var relist = items.Select(i => i.Object).Where(o => name is null || ObjectStore.Metadata(o)["name"]?.ToString() == name).ToList();
                await _changes.Writer.WriteAsync(new Change(kind, null, false, relist), stoppingToken).ConfigureAwait(false);
                var watcher = cache.Watch(filter, revision);
                try
                {
                    await foreach (var (eventKind, e) in watcher.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                    {
                        await _changes.Writer.WriteAsync(new Change(kind, e.ToObject(), eventKind == WatchEventKind.Deleted, null), stoppingToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    cache.Stop(watcher);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFeedRestart(e, resource.QualifiedName);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "namespace defaults: {Step} in namespace {Namespace}")]
    private partial void LogStep(string step, string @namespace);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "namespace defaults: {Step} in namespace {Namespace} failed; retried on the next pass")]
    private partial void LogStepFailed(Exception error, string step, string @namespace);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "namespace defaults: the feed of {Resource} restarts with a new list")]
    private partial void LogFeedRestart(Exception error, string resource);

    /// <summary>One change for the view, made by a feed and applied by the reconcile loop.</summary>
    private sealed record Change(ObservedKind Kind, System.Text.Json.Nodes.JsonObject? Object, bool Deleted, IReadOnlyList<System.Text.Json.Nodes.JsonObject>? Relist)
    {
        public void ApplyTo(NamespaceDefaultsView view)
        {
            if (Relist is not null)
            {
                view.Reset(Kind, Relist);
            }
            else
            {
                view.Observe(Kind, Object!, Deleted);
            }
        }
    }
}

using System.Threading.Channels;
using LiteKube.ApiServer.Registry.Watching;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Selectors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>
/// Runs the namespace cleanup and the garbage collector inside the API server, because LiteKube
/// has no controllers layer yet. It keeps an <see cref="ObjectGraph"/> current from the watch
/// caches (one list, then one cache watcher per resource; a dropped watcher lists again), and
/// after each burst of changes, or every <see cref="ResyncInterval"/>, decides from the whole
/// graph and carries the steps out with conditional writes.
/// <para>
/// Every server runs it; that is safe because each write is conditional and a step that lost a
/// race simply does not apply. It does not guarantee that only one server acts, nor any order
/// between servers. TODO(controllers): move it to the controllers layer, under leader election,
/// when that layer exists, as upstream runs it in kube-controller-manager.
/// </para>
/// </summary>
public sealed partial class LifecycleController(
    ResourceCatalog catalog, ObjectStore objects, WatchCaches caches, LifecycleExecutor executor, TimeProvider time, ILogger<LifecycleController> logger)
    : BackgroundService
{
    /// <summary>How often the reconcilers look at the world even when nothing changed (a step
    /// that failed is retried then).</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(5);

    /// <summary>Changes arriving within this window are handled in one pass.</summary>
    public static readonly TimeSpan Batching = TimeSpan.FromMilliseconds(100);

    private readonly Channel<GraphChange> _changes = Channel.CreateUnbounded<GraphChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ObjectGraph _graph = new();
    private readonly HashSet<(string Uid, long Revision, string Step)> _done = [];

    private readonly IReadOnlyList<ResourceDefinition> _watched = catalog.Resources
        .Where(r => r.Verbs.Contains("watch"))
        .DistinctBy(r => r.StoragePrefix)
        .ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var feeds = _watched.Select(r => FeedAsync(r, stoppingToken)).ToList();
        try
        {
            await ReconcileLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(feeds).ConfigureAwait(false);
    }

    private async Task ReconcileLoopAsync(CancellationToken stoppingToken)
    {
        var synced = new HashSet<string>(StringComparer.Ordinal);
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
                change.ApplyTo(_graph);
                if (change.Reset is not null)
                {
                    synced.Add(change.Resource.StoragePrefix);
                }
            }

            // Decide only on a complete view: before every resource was listed, an owner
            // missing from the graph may just not be loaded yet.
            if (synced.Count == _watched.Count)
            {
                await PassAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PassAsync(CancellationToken stoppingToken)
    {
        var actions = NamespaceCleanup.Decide(_graph);
        actions.AddRange(GarbageCollector.Decide(_graph, executor.ResolveKind));
        if (_done.Count > 10_000)
        {
            _done.Clear();
        }

        foreach (var action in actions)
        {
            // A step that applied changed its object: until the graph shows that change, the
            // same decision would be taken again on the old state; skip it.
            var step = (action.Node.Uid, action.Node.Revision, action.GetType().Name + (action as LifecycleAction.RemoveOwnerReferences)?.OwnerUids.FirstOrDefault());
            if (_done.Contains(step))
            {
                continue;
            }

            try
            {
                if (await executor.RunAsync(action, stoppingToken).ConfigureAwait(false))
                {
                    _done.Add(step);
                    LogStep(action.GetType().Name, action.Node.Resource.QualifiedName, action.Node.Namespace, action.Node.Name);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStepFailed(e, action.GetType().Name, action.Node.Resource.QualifiedName, action.Node.Namespace, action.Node.Name);
            }
        }
    }

    /// <summary>Lists one resource into the graph, then follows its watch cache; lists again when
    /// the cache drops the watcher (too slow, or the cache restarted).</summary>
    private async Task FeedAsync(ResourceDefinition resource, CancellationToken stoppingToken)
    {
        var cache = caches.For(resource);
        await cache.Started.WaitAsync(stoppingToken).ConfigureAwait(false);
        var everything = new WatchFilter("", LabelSelector.Everything, FieldSelector.Everything);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (items, revision, _) = await objects.ListAsync(resource, "", null, 0, 0, stoppingToken).ConfigureAwait(false);
                await _changes.Writer.WriteAsync(GraphChange.Relisted(resource, [.. items.Select(i => GraphNode.Of(resource, i.Object, i.Revision))]), stoppingToken).ConfigureAwait(false);
                var watcher = cache.Watch(everything, revision);
                try
                {
                    await foreach (var (kind, e) in watcher.Events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                    {
                        var node = GraphNode.Of(resource, e.ToObject(), e.Revision);
                        await _changes.Writer.WriteAsync(kind == WatchEventKind.Deleted ? GraphChange.Removed(node) : GraphChange.Changed(node), stoppingToken).ConfigureAwait(false);
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

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "lifecycle: {Step} on {Resource} {Namespace}/{Name}")]
    private partial void LogStep(string step, string resource, string @namespace, string name);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "lifecycle: {Step} on {Resource} {Namespace}/{Name} failed; retried on the next pass")]
    private partial void LogStepFailed(Exception error, string step, string resource, string @namespace, string name);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "lifecycle: the feed of {Resource} restarts with a new list")]
    private partial void LogFeedRestart(Exception error, string resource);

    /// <summary>One change for the graph, made by a feed and applied by the reconcile loop.</summary>
    private sealed record GraphChange(ResourceDefinition Resource, GraphNode? Node, bool Deleted, IReadOnlyList<GraphNode>? Reset)
    {
        public static GraphChange Relisted(ResourceDefinition resource, IReadOnlyList<GraphNode> nodes) => new(resource, null, false, nodes);

        public static GraphChange Changed(GraphNode node) => new(node.Resource, node, false, null);

        public static GraphChange Removed(GraphNode node) => new(node.Resource, node, true, null);

        public void ApplyTo(ObjectGraph graph)
        {
            if (Reset is not null)
            {
                graph.Reset(Resource.StoragePrefix, Reset);
            }
            else if (Deleted)
            {
                graph.Remove(Node!.Resource, Node.Namespace, Node.Name);
            }
            else
            {
                graph.Put(Node!);
            }
        }
    }
}

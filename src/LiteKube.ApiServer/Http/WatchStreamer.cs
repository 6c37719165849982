using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Registry.Watching;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Tables;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http;

/// <summary>
/// Streams a watch as upstream does: 200, then one JSON event per line
/// (<c>{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":...}</c>), flushed as it
/// happens, until the client leaves, timeoutSeconds passes, or the cache drops the watcher.
/// </summary>
public sealed class WatchStreamer(ObjectLister lister, WatchCaches caches, TableConverter tables, TimeProvider time)
{
    /// <summary>How often a quiet watch that asked for bookmarks gets one.</summary>
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(10);

    public async Task StreamAsync(HttpContext context, ResourceDefinition resource, ListQuery query, TableFormat? table)
    {
        var writer = new EventWriter(context, resource, table, tables);
        var ct = context.RequestAborted;
        var cache = caches.For(resource);
        var after = query.WatchAfter();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        if (after is null)
        {
            // No resourceVersion: the current state first, as ADDED events, then the changes.
            var (items, revision) = await lister.ListAllAsync(resource, query.Filter, ct).ConfigureAwait(false);
            foreach (var item in items)
            {
                await writer.WriteAsync("ADDED", item).ConfigureAwait(false);
            }

            if (query.SendInitialEvents && query.AllowWatchBookmarks)
            {
                await writer.WriteAsync("BOOKMARK", Bookmark(resource, revision, initialEventsEnd: true)).ConfigureAwait(false);
            }

            after = revision;
        }

        CacheWatcher watcher;
        try
        {
            watcher = cache.Watch(query.Filter, after.Value);
        }
        catch (ResourceVersionTooOldException e)
        {
            var status = StatusResponses.Failure(HttpStatusCode.Gone, "Expired", e.Message);
            await writer.WriteAsync("ERROR", status).ConfigureAwait(false);
            return;
        }

        try
        {
            await PumpAsync(context, resource, query, watcher, after.Value, writer).ConfigureAwait(false);
        }
        finally
        {
            cache.Stop(watcher);
        }
    }

    private async Task PumpAsync(HttpContext context, ResourceDefinition resource, ListQuery query, CacheWatcher watcher, long after, EventWriter writer)
    {
        using var deadline = new CancellationTokenSource(query.Timeout ?? Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        var lastRevision = after;
        await context.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
        try
        {
            while (true)
            {
                using var quiet = new CancellationTokenSource(query.AllowWatchBookmarks ? BookmarkInterval : Timeout.InfiniteTimeSpan, time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, quiet.Token);
                (WatchEventKind Kind, CachedEvent Event) next;
                try
                {
                    next = await watcher.Events.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (quiet.IsCancellationRequested && !linked.IsCancellationRequested)
                {
                    var bookmarkRevision = Math.Max(lastRevision, caches.For(resource).Revision);
                    await writer.WriteAsync("BOOKMARK", Bookmark(resource, bookmarkRevision, initialEventsEnd: false)).ConfigureAwait(false);
                    continue;
                }

                lastRevision = next.Event.Revision;
                await writer.WriteAsync(next.Kind, next.Event).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The client left or timeoutSeconds passed: the stream simply ends.
        }
        catch (ChannelClosedException)
        {
            // Dropped by the cache (too slow, or the cache restarted): ending the stream makes the client re-list.
        }
    }

    private static JsonObject Bookmark(ResourceDefinition resource, long revision, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.GroupVersion, ["metadata"] = metadata };
    }

    /// <summary>Writes events as JSON lines; for a Table watch, objects become one-row Tables and
    /// only the first carries the column definitions, as upstream sends them. A cached event's
    /// JSON goes out as the cache holds it: one serialization per change, not per watcher.</summary>
    private sealed class EventWriter(HttpContext context, ResourceDefinition resource, TableFormat? table, TableConverter tables)
    {
        private bool _columnsSent;

        public Task WriteAsync(WatchEventKind kind, CachedEvent e)
        {
            var type = kind.ToString().ToUpperInvariant();
            return table is null ? WriteLineAsync(type, e.Json) : WriteAsync(type, e.ToObject());
        }

        /// <param name="obj">Changed when it is a stored object (type meta added): pass a private copy.</param>
        public Task WriteAsync(string type, JsonObject obj)
        {
            JsonObject payload = obj;
            if (type is not ("ERROR" or "BOOKMARK"))
            {
                obj["apiVersion"] ??= resource.GroupVersion;
                obj["kind"] ??= resource.Kind;
                if (table is not null)
                {
                    var metadata = new JsonObject { ["resourceVersion"] = ObjectStore.Metadata(obj)["resourceVersion"]?.DeepClone() };
                    payload = tables.ToTable(resource, [obj], metadata, table.ApiVersion, table.IncludeObject, withColumns: !_columnsSent);
                    _columnsSent = true;
                }
            }

            return WriteLineAsync(type, JsonSerializer.SerializeToUtf8Bytes(payload, StatusResponses.Json));
        }

        private async Task WriteLineAsync(string type, ReadOnlyMemory<byte> json)
        {
            var body = context.Response.BodyWriter;
            body.Write(Encoding.UTF8.GetBytes("{\"type\":\"" + type + "\",\"object\":"));
            body.Write(json.Span);
            body.Write("}\n"u8);
            await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}

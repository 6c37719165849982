using LiteKube.ApiServer.Registry.Watching;
using LiteKube.ApiServer.Resources;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Registry;

/// <summary>Lists objects with selectors applied. As upstream, limit counts matching objects:
/// pages are read from the datastore until enough match, and the continue token points after
/// the last object examined, at the first page's revision.</summary>
public sealed class ObjectLister(ObjectStore objects)
{
    private const long PageSize = 500;

    public async Task<(IReadOnlyList<JsonObject> Items, long Revision, string? Continue)> ListAsync(
        ResourceDefinition resource, ListQuery query, CancellationToken cancellationToken)
    {
        var ns = query.Filter.Namespace;
        var (startKey, revision) = ContinueToken.Parse(query.Continue, resource.StoragePrefixFor(ns));
        var matches = new List<JsonObject>();
        while (true)
        {
            var want = query.Limit > 0 ? Math.Max(query.Limit - matches.Count, PageSize) : 0;
            var (page, pageRevision, more) = await objects.ListAsync(resource, ns, startKey, revision, want, cancellationToken).ConfigureAwait(false);
            revision = pageRevision;
            foreach (var item in page)
            {
                startKey = item.Key + "\0";
                if (!query.Filter.Matches(ObjectFacts.Of(item.Object, resource)))
                {
                    continue;
                }

                matches.Add(item.Object);
                if (query.Limit > 0 && matches.Count == query.Limit)
                {
                    var last = page[^1] == item && !more;
                    return (matches, revision, last ? null : ContinueToken.Create(item.Key, revision));
                }
            }

            if (!more)
            {
                return (matches, revision, null);
            }
        }
    }

    /// <summary>
    /// Every object that <paramref name="filter"/> matches, at one revision, parsed one at a time
    /// as the caller enumerates: a caller that writes each out holds the stored JSON of the whole
    /// list (one datastore read, so one consistent revision) but never the parsed trees of all of
    /// it, which are several times larger. Enumerate once.
    /// </summary>
    public async Task<(IEnumerable<JsonObject> Items, long Revision)> ListAllAsync(ResourceDefinition resource, WatchFilter filter, CancellationToken cancellationToken)
    {
        var (kvs, revision) = await objects.ListStoredJsonAsync(resource, filter.Namespace, cancellationToken).ConfigureAwait(false);
        return (kvs.Select(kv => ObjectStore.ToStored(kv).Object).Where(o => filter.Matches(ObjectFacts.Of(o, resource))), revision);
    }
}

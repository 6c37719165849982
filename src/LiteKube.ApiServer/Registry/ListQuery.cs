using System.Globalization;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry.Watching;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Selectors;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Registry;

/// <summary>The list and watch parameters of a request, parsed and checked.</summary>
public sealed record ListQuery(
    WatchFilter Filter,
    long Limit,
    string? Continue,
    string ResourceVersion,
    bool AllowWatchBookmarks,
    TimeSpan? Timeout,
    bool SendInitialEvents)
{
    public static ListQuery Parse(IQueryCollection query, ResourceDefinition resource, string ns)
    {
        var filter = new WatchFilter(ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], resource));
        var timeout = Long(query["timeoutSeconds"], "timeoutSeconds");
        return new ListQuery(
            filter,
            Long(query["limit"], "limit"),
            query["continue"],
            query["resourceVersion"].ToString(),
            query["allowWatchBookmarks"] is var b && (b == "true" || b == "1"),
            timeout > 0 ? TimeSpan.FromSeconds(timeout) : null,
            query["sendInitialEvents"] == "true");
    }

    /// <summary>The revision to watch after, or null for "the current state first".</summary>
    public long? WatchAfter()
    {
        if (SendInitialEvents || ResourceVersion is "" or "0")
        {
            return null;
        }

        return long.TryParse(ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv > 0
            ? rv
            : throw ApiException.BadRequest($"invalid resourceVersion \"{ResourceVersion}\": must be a positive integer");
    }

    private static long Long(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw ApiException.BadRequest($"invalid {name} \"{value}\": must be a non-negative integer");
    }
}

using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>Prints a LabelSelector or a plain map selector the way kubectl does.</summary>
internal static class Selector
{
    public static string Format(JsonObject selector)
    {
        var parts = new List<string>();
        var labels = selector["matchLabels"] as JsonObject ?? (selector.ContainsKey("matchExpressions") ? [] : selector);
        parts.AddRange(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        foreach (var e in selector["matchExpressions"] as JsonArray ?? [])
        {
            var key = e?["key"]?.ToString();
            var values = string.Join(",", (e?["values"] as JsonArray ?? []).Select(v => v?.ToString()));
            parts.Add(e?["operator"]?.ToString() switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key!,
                "DoesNotExist" => "!" + key,
                var op => $"{key} {op} ({values})",
            });
        }

        return parts.Count == 0 ? "<none>" : string.Join(",", parts);
    }
}

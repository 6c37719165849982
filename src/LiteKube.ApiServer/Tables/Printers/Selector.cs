using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>Prints selectors as upstream's labels package does: requirements sorted by key, set
/// values sorted, "key=value", "key in (a,b)", "key notin (a)", "key", "!key".</summary>
internal static class Selector
{
    /// <summary>labels.FormatLabels: a plain map, "&lt;none&gt;" when empty.</summary>
    public static string Labels(JsonObject map) =>
        map.Count == 0 ? "<none>" : string.Join(",", map.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>metav1.FormatLabelSelector: "&lt;none&gt;" when it selects everything or nothing,
    /// "&lt;error&gt;" for an operator upstream does not know.</summary>
    public static string Format(JsonObject? selector) => Requirements(selector) switch
    {
        null => "<error>",
        "" => "<none>",
        var s => s,
    };

    /// <summary>LabelSelectorAsSelector(...).String(): "" when empty, null when invalid.</summary>
    public static string? Requirements(JsonObject? selector)
    {
        if (selector is null)
        {
            return "";
        }

        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add((key, $"{key}={value}"));
        }

        foreach (var e in selector["matchExpressions"] as JsonArray ?? [])
        {
            var key = (e as JsonObject)?["key"]?.ToString() ?? "";
            var values = string.Join(",", ((e as JsonObject)?["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? "").Order(StringComparer.Ordinal));
            string? text = (e as JsonObject)?["operator"]?.ToString() switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                _ => null,
            };
            if (text is null)
            {
                return null;
            }

            requirements.Add((key, text));
        }

        return string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }
}

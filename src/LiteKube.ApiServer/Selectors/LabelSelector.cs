using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Selectors;

/// <summary>
/// A parsed label selector in upstream's string syntax: comma-separated requirements
/// <c>key</c>, <c>!key</c>, <c>key=v</c>, <c>key==v</c>, <c>key!=v</c>, <c>key in (a,b)</c>,
/// <c>key notin (a,b)</c>, <c>key&gt;n</c>, <c>key&lt;n</c>. All must hold. Pure.
/// </summary>
public sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public bool IsEverything => _requirements.Count == 0;

    /// <summary>Throws a 400 ApiException naming the bad requirement.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        return new LabelSelector(SplitTopLevel(text).Select(ParseRequirement).ToList());
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    public bool Matches(JsonObject obj) => Matches(LabelsOf(obj));

    public static IReadOnlyDictionary<string, string> LabelsOf(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    labels[key] = s;
                }
            }
        }

        return labels;
    }

    // Commas separate requirements except inside the parentheses of in/notin.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseRequirement(string raw)
    {
        var text = raw.Trim();
        if (text.Length == 0)
        {
            throw Bad(raw, "empty requirement");
        }

        if (text[0] == '!')
        {
            return new Requirement(Key(text[1..].Trim(), raw), Operator.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals), (">", Operator.GreaterThan), ("<", Operator.LessThan) })
        {
            var at = text.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var value = text[(at + token.Length)..].Trim();
                if (op is Operator.GreaterThan or Operator.LessThan && !long.TryParse(value, out _))
                {
                    throw Bad(raw, $"for '{token}' the value must be an integer");
                }

                return new Requirement(Key(text[..at].Trim(), raw), op, [Value(value, raw)]);
            }
        }

        var words = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 1)
        {
            return new Requirement(Key(words[0], raw), Operator.Exists, []);
        }

        var rest = words[1];
        var setOperator = rest.StartsWith("notin", StringComparison.Ordinal) ? Operator.NotIn
            : rest.StartsWith("in", StringComparison.Ordinal) ? Operator.In
            : throw Bad(raw, "expected one of: =, ==, !=, in, notin, >, <");
        var list = rest[(setOperator == Operator.In ? 2 : 5)..].Trim();
        if (list.Length < 2 || list[0] != '(' || list[^1] != ')')
        {
            throw Bad(raw, "a set must be written in parentheses, e.g. (a,b)");
        }

        var values = list[1..^1].Split(',', StringSplitOptions.TrimEntries).Select(v => Value(v, raw)).ToHashSet(StringComparer.Ordinal);
        return new Requirement(Key(words[0], raw), setOperator, values);
    }

    private static string Key(string key, string raw)
    {
        if (!LabelSyntax.IsQualifiedName(key))
        {
            throw Bad(raw, $"invalid label key \"{key}\"");
        }

        return key;
    }

    private static string Value(string value, string raw)
    {
        if (!LabelSyntax.IsLabelValue(value))
        {
            throw Bad(raw, $"invalid label value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return value;
    }

    private static ApiException Bad(string raw, string why) =>
        ApiException.BadRequest($"unable to parse requirement: \"{raw.Trim()}\": {why}");

    private enum Operator { Exists, DoesNotExist, Equals, NotEquals, In, NotIn, GreaterThan, LessThan }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyCollection<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.Equals or Operator.In => has && Values.Contains(value!),
                // As upstream: != and notin also match objects without the label.
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value!),
                Operator.GreaterThan => has && long.TryParse(value, out var g) && g > long.Parse(Values.First()),
                Operator.LessThan => has && long.TryParse(value, out var l) && l < long.Parse(Values.First()),
                _ => false,
            };
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tests.Fuzz;

/// <summary>Random mutations of request bodies, driven only by the given <see cref="Random"/>
/// so that a seed replays a run: byte-level damage for any format, token splicing for JSON and
/// YAML, and type-swapping of values inside a valid JSON object.</summary>
internal static class BodyMutator
{
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-", "1e999", "-0", "9223372036854775808",
        "\\u0000", "\\ud800", "&a ", "*a", "!!binary ", "!!int ", "---\n", "? ", "<<: ", "\t", "\n  - ", "~",
        "\"apiVersion\":\"v2\"", "\"kind\":\"Pod\"", "\"metadata\":[]", "\"name\":{}", "\"namespace\":\"other\"",
        "\"resourceVersion\":\"abc\"", "\"generateName\":\"x\"", "\"labels\":{\"a\":1}", "\"finalizers\":[1]",
        new string('a', 300), new string('[', 200), "\u00e9", "\ud83d\ude00", "0x", ".inf", "'", "|\n", ">-\n",
    ];

    private static readonly JsonNode?[] Values =
    [
        null, true, false, 0, -1, 2147483648L, 1.5, "", "x", "-1", "999999999999999999999999", new JsonArray(), new JsonObject(),
        new JsonArray(1, "a", null), new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonArray() } }, new string('z', 5000),
    ];

    public static byte[] Mutate(Random random, byte[] body, bool text)
    {
        var bytes = new List<byte>(body);
        for (var rounds = random.Next(1, 4); rounds > 0; rounds--)
        {
            switch (random.Next(text ? 7 : 5))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 2 when bytes.Count > 0:
                    var start = random.Next(bytes.Count);
                    bytes.RemoveRange(start, random.Next(Math.Min(16, bytes.Count - start) + 1));
                    break;
                case 3:
                    var cut = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
                case 4 when bytes.Count > 0:
                    var from = random.Next(bytes.Count);
                    var chunk = bytes.GetRange(from, random.Next(Math.Min(32, bytes.Count - from) + 1));
                    bytes.InsertRange(random.Next(bytes.Count + 1), chunk);
                    break;
                default:
                    bytes.InsertRange(random.Next(bytes.Count + 1), Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Replaces one random value inside the object with a value of another shape.</summary>
    public static JsonObject Reshape(Random random, JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        var containers = new List<JsonNode>();
        Collect(copy, containers);
        var target = containers[random.Next(containers.Count)];
        var value = Values[random.Next(Values.Length)]?.DeepClone();
        switch (target)
        {
            case JsonObject o when o.Count > 0 && random.Next(4) > 0:
                o[o.ElementAt(random.Next(o.Count)).Key] = value;
                break;
            case JsonObject o:
                o["f" + random.Next(100)] = value;
                break;
            case JsonArray a when a.Count > 0:
                a[random.Next(a.Count)] = value;
                break;
            case JsonArray a:
                a.Add(value);
                break;
        }

        return copy;
    }

    private static void Collect(JsonNode node, List<JsonNode> containers)
    {
        containers.Add(node);
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is JsonObject or JsonArray)
            {
                Collect(child, containers);
            }
        }
    }

    /// <summary>A block-style YAML rendering of a JSON value (strings always quoted).</summary>
    public static string ToYaml(JsonNode? node, int indent = 0)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                return string.Concat(o.Select(p => p.Value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 }
                    ? $"{pad}{p.Key}:\n{ToYaml(p.Value, indent + 2)}"
                    : $"{pad}{p.Key}: {ToYaml(p.Value)}\n"));
            case JsonArray a when a.Count > 0:
                return string.Concat(a.Select(v => v is JsonObject { Count: > 0 } or JsonArray { Count: > 0 }
                    ? $"{pad}-\n{ToYaml(v, indent + 2)}"
                    : $"{pad}- {ToYaml(v)}\n"));
            default:
                return node?.ToJsonString() ?? "null";
        }
    }
}

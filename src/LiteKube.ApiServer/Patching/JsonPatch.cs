using System.Globalization;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) with RFC 6901 pointers.
/// Applies to a copy; any failing operation fails the whole patch with <see cref="PatchException"/>.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op)
            {
                throw new PatchException($"operation {i} is not a JSON object");
            }

            var name = op["op"]?.ToString() ?? throw new PatchException($"operation {i} has no \"op\"");
            var path = Pointer(op, "path", i);
            switch (name)
            {
                case "add":
                    Add(root, path, Value(op, i));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op, i));
                    break;
                case "move":
                    var from = Pointer(op, "from", i);
                    var moved = Get(root, from);
                    Remove(root, from);
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Get(root, Pointer(op, "from", i)).DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), op["value"]))
                    {
                        throw new PatchException($"test operation {i} failed: the value at \"{op["path"]}\" differs");
                    }

                    break;
                default:
                    throw new PatchException($"operation {i}: unknown op \"{name}\"");
            }
        }

        return root["doc"]!;
    }

    private static JsonNode? Value(JsonObject op, int i) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new PatchException($"operation {i} has no \"value\"");

    // The document sits under root["doc"], so every pointer has a parent, even "" (the whole document).
    private static List<string> Pointer(JsonObject op, string field, int i)
    {
        var text = op[field]?.ToString() ?? throw new PatchException($"operation {i} has no \"{field}\"");
        if (text.Length > 0 && text[0] != '/')
        {
            throw new PatchException($"operation {i}: \"{text}\" is not a JSON pointer");
        }

        return ["doc", .. text.Split('/').Skip(1).Select(t => t.Replace("~1", "/").Replace("~0", "~"))];
    }

    private static JsonNode Get(JsonNode root, List<string> path)
    {
        var node = root;
        foreach (var token in path)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) && child is not null => child,
                JsonArray a when Index(token, a.Count, allowEnd: false) is var index => a[index]!,
                _ => throw new PatchException($"path \"/{string.Join('/', path.Skip(1))}\" does not exist"),
            };
        }

        return node;
    }

    private static void Add(JsonNode root, List<string> path, JsonNode? value)
    {
        var parent = Get(root, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                var index = last == "-" ? a.Count : Index(last, a.Count, allowEnd: true);
                a.Insert(index, value);
                break;
            default:
                throw new PatchException($"cannot add at \"/{string.Join('/', path.Skip(1))}\": its parent is not an object or array");
        }
    }

    private static void Remove(JsonNode root, List<string> path)
    {
        var parent = Get(root, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a:
                a.RemoveAt(Index(last, a.Count, allowEnd: false));
                break;
            default:
                throw new PatchException($"path \"/{string.Join('/', path.Skip(1))}\" does not exist");
        }
    }

    private static int Index(string token, int count, bool allowEnd)
    {
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > count || (!allowEnd && index == count))
        {
            throw new PatchException($"array index \"{token}\" is out of range");
        }

        return index;
    }
}

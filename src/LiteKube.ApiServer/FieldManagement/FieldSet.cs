using System.Text;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.FieldManagement;

/// <summary>
/// A set of field paths, as upstream's structured-merge-diff keeps them for each field manager,
/// stored as a tree. A path is a list of elements in upstream's FieldsV1 spelling:
/// <c>f:&lt;field&gt;</c> (a field or map key), <c>k:{"name":"web"}</c> (a list item by its
/// keys), <c>v:"a"</c> (an item of a list used as a set) and <c>i:0</c> (an item by index).
/// </summary>
/// <remarks>Immutable from outside: every operation returns a new set. Not thread-safe while
/// being built.</remarks>
public sealed class FieldSet
{
    private readonly SortedDictionary<string, FieldSet> _children = new(StringComparer.Ordinal);

    /// <summary>Whether the path that leads here is itself in the set (FieldsV1's <c>".": {}</c>
    /// when the node also has children).</summary>
    private bool _member;

    public bool IsEmpty => !_member && _children.Count == 0;

    public static FieldSet Of(IEnumerable<IReadOnlyList<string>> paths)
    {
        var set = new FieldSet();
        foreach (var path in paths)
        {
            set.Insert(path);
        }

        return set;
    }

    internal void Insert(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node._children.TryGetValue(element, out var child))
            {
                node._children[element] = child = new FieldSet();
            }

            node = child;
        }

        node._member = true;
    }

    public bool Contains(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node._children.TryGetValue(element, out node!))
            {
                return false;
            }
        }

        return node._member;
    }

    /// <summary>Every path in the set, parents before their children.</summary>
    public IEnumerable<IReadOnlyList<string>> Paths()
    {
        var found = new List<IReadOnlyList<string>>();
        Collect([], found);
        return found;
    }

    private void Collect(List<string> prefix, List<IReadOnlyList<string>> found)
    {
        if (_member && prefix.Count > 0)
        {
            found.Add(prefix.ToArray());
        }

        foreach (var (element, child) in _children)
        {
            prefix.Add(element);
            child.Collect(prefix, found);
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    public FieldSet Union(FieldSet other) => Of(Paths().Concat(other.Paths()));

    public FieldSet Except(FieldSet other) => Of(Paths().Where(p => !other.Contains(p)));

    public FieldSet Intersect(FieldSet other) => Of(Paths().Where(other.Contains));

    /// <summary>The FieldsV1 JSON: <c>{"f:spec":{"f:replicas":{}},"f:metadata":{"f:labels":{".":{},"f:a":{}}}}</c>.</summary>
    public JsonObject ToFieldsV1()
    {
        var obj = new JsonObject();
        if (_member && _children.Count > 0)
        {
            obj["."] = new JsonObject();
        }

        foreach (var (element, child) in _children)
        {
            obj[element] = child.ToFieldsV1();
        }

        return obj;
    }

    /// <summary>Reads FieldsV1 JSON; null when it is not well formed.</summary>
    public static FieldSet? FromFieldsV1(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        var set = new FieldSet();
        foreach (var (element, child) in obj)
        {
            if (element == ".")
            {
                set._member = true;
                continue;
            }

            if (element.Length < 2 || element[1] != ':' || !WellFormed(element) || FromFieldsV1(child) is not { } inner)
            {
                return null;
            }

            // A leaf ({}) is a member; a node with children is one only if it says ".".
            inner._member |= inner._children.Count == 0;
            set._children[element] = inner;
        }

        return set;
    }

    private static bool WellFormed(string element)
    {
        try
        {
            return element[0] switch
            {
                'f' => true,
                'k' => JsonNode.Parse(element[2..]) is JsonObject,
                'v' => JsonNode.Parse(element[2..]) is not JsonArray,
                'i' => int.TryParse(element[2..], out var i) && i >= 0,
                _ => false,
            };
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>How upstream names a path in conflict messages: <c>.spec.containers[name="web"].image</c>.</summary>
    public static string Describe(IReadOnlyList<string> path)
    {
        var text = new StringBuilder();
        foreach (var element in path)
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'k' when JsonNode.Parse(body) is JsonObject keys:
                    text.Append('[').AppendJoin(",", keys.Select(k => $"{k.Key}={k.Value?.ToJsonString()}")).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(body).Append(']');
                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }

        return text.ToString();
    }
}

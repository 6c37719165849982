using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.FieldManagement;

/// <summary>Finds and removes the value a <see cref="FieldSet"/> path names in a JSON object.</summary>
public static class ObjectPaths
{
    /// <summary>The value at <paramref name="path"/>, or false when the object has nothing there.</summary>
    public static bool TryFind(JsonNode? root, IReadOnlyList<string> path, out JsonNode? value)
    {
        value = root;
        foreach (var element in path)
        {
            if (!TryStep(value, element, out var next, out _))
            {
                value = null;
                return false;
            }

            value = next;
        }

        return true;
    }

    /// <summary>Removes the value at <paramref name="path"/>; nothing happens when it is absent.</summary>
    public static void Remove(JsonNode? root, IReadOnlyList<string> path)
    {
        if (path.Count == 0 || !TryFind(root, path.Take(path.Count - 1).ToList(), out var parent))
        {
            return;
        }

        if (!TryStep(parent, path[^1], out _, out var locate))
        {
            return;
        }

        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(path[^1][2..]);
                break;
            case JsonArray list:
                list.RemoveAt(locate);
                break;
        }
    }

    private static bool TryStep(JsonNode? node, string element, out JsonNode? next, out int index)
    {
        next = null;
        index = -1;
        var body = element.Length >= 2 ? element[2..] : "";
        switch (element[0], node)
        {
            case ('f', JsonObject obj):
                return obj.TryGetPropertyValue(body, out next);
            case ('k', JsonArray list):
                var key = JsonNode.Parse(body) as JsonObject;
                index = key is null ? -1 : list.ToList().FindIndex(i => JsonNode.DeepEquals(ObjectFields.KeyOf(i, key.Select(k => k.Key).ToList()), key));
                break;
            case ('v', JsonArray list):
                var wanted = JsonNode.Parse(body);
                index = list.ToList().FindIndex(i => JsonNode.DeepEquals(i, wanted));
                break;
            case ('i', JsonArray list):
                index = int.TryParse(body, out var i) && i >= 0 && i < list.Count ? i : -1;
                break;
            default:
                return false;
        }

        if (index < 0 || node is not JsonArray items)
        {
            return false;
        }

        next = items[index];
        return true;
    }
}

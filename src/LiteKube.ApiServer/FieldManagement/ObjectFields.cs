using System.Text.Json.Nodes;
using k8s.Models;
using LiteKube.ApiServer.OpenApi;
using LiteKube.ApiServer.Patching;

namespace LiteKube.ApiServer.FieldManagement;

/// <summary>
/// The field paths of an object, as upstream's structured-merge-diff reads them from the
/// built-in types' schemas: scalars and atomic values are leaves, list items of keyed lists are
/// <c>k:{...}</c>, items of sets <c>v:...</c>, and a map key, an empty object or a null is a
/// member of its own. Fields only the server sets (name, uid, resourceVersion, managedFields,
/// ...) and status (owned through the status subresource) are never part of a set.
/// </summary>
public static class ObjectFields
{
    private static readonly HashSet<string> ServerMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    // Upstream marks these structs +structType=atomic: owned and replaced as a whole.
    private static readonly HashSet<Type> AtomicStructs = [typeof(V1LabelSelector), typeof(V1NodeSelector)];

    /// <summary>Key fields upstream's schemas give a default, so that an item without them still has a key.</summary>
    private static readonly Dictionary<string, JsonNode> KeyDefaults = new(StringComparer.Ordinal) { ["protocol"] = "TCP" };

    /// <param name="mapsAreMembers">Whether a map (labels, data) is a member of its own, as
    /// upstream's update tracking makes a map that a write added: ownership of the whole map.</param>
    /// <param name="subresource">The endpoint written: null for the object itself, "status" or
    /// "scale" (whose Scale object has a spec and a status of its own, and the latter is read-only).</param>
    public static FieldSet Of(JsonObject obj, Type modelType, bool mapsAreMembers = false, string? subresource = null)
    {
        var set = new FieldSet();
        var schema = new PatchSchema(modelType);
        var skipped = subresource == "status" ? "spec" : "status";
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind" || name == skipped)
            {
                continue;
            }

            var child = schema.Field(name, out var rules);
            if (name == "metadata" && value is JsonObject metadata)
            {
                foreach (var (field, v) in metadata.Where(m => !ServerMetadata.Contains(m.Key)))
                {
                    var metaChild = child.Field(field, out var metaRules);
                    Visit(v, metaChild, metaRules, ["f:metadata", "f:" + field], set, declared: !mapsAreMembers || !metaChild.IsMap, mapsAreMembers);
                }

                continue;
            }

            Visit(value, child, rules, ["f:" + name], set, declared: !mapsAreMembers || !child.IsMap, mapsAreMembers);
        }

        return set;
    }

    private static void Visit(JsonNode? node, PatchSchema schema, PatchField? rules, List<string> path, FieldSet set, bool declared, bool mapsAreMembers)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 0 || IsAtomic(schema):
                set.Insert(path);
                break;
            case JsonObject obj:
                if (!declared)
                {
                    set.Insert(path);
                }

                foreach (var (name, value) in obj)
                {
                    var child = schema.Field(name, out var childRules);
                    Visit(value, child, childRules, [.. path, "f:" + name], set, declared: schema.Declares(name) && (!mapsAreMembers || !child.IsMap), mapsAreMembers);
                }

                break;
            case JsonArray list when ListKeys(rules) is { } keys:
                for (var i = 0; i < list.Count; i++)
                {
                    var itemPath = new List<string>(path) { ItemElement(list[i], keys, i) };
                    set.Insert(itemPath);
                    if (list[i] is JsonObject item)
                    {
                        foreach (var (name, value) in item)
                        {
                            var child = schema.Element.Field(name, out var childRules);
                            Visit(value, child, childRules, [.. itemPath, "f:" + name], set, declared: !mapsAreMembers || !child.IsMap, mapsAreMembers);
                        }
                    }
                }

                break;
            case JsonArray list when rules?.ListType == "set":
                foreach (var item in list)
                {
                    set.Insert([.. path, "v:" + (item?.ToJsonString() ?? "null")]);
                }

                break;
            default:
                set.Insert(path);
                break;
        }
    }

    /// <summary>A struct owned and replaced as a whole.</summary>
    public static bool IsAtomic(PatchSchema schema) => schema.Type is { } type && AtomicStructs.Contains(type);

    /// <summary>The key fields of a keyed list, or null for a list owned as a whole.</summary>
    public static IReadOnlyList<string>? ListKeys(PatchField? rules) => rules switch
    {
        { ListType: "map", ListMapKeys.Count: > 0 } => rules.ListMapKeys,
        { ListType: null, MergeKey: { } key } => [key],
        _ => null,
    };

    /// <summary>The path element of a list item: <c>k:{...}</c> with the keys in name order, or
    /// <c>i:n</c> for an item that lacks a key.</summary>
    public static string ItemElement(JsonNode? item, IReadOnlyList<string> keys, int index)
    {
        if (KeyOf(item, keys) is { } key)
        {
            return "k:" + key.ToJsonString();
        }

        return "i:" + index;
    }

    public static JsonObject? KeyOf(JsonNode? item, IReadOnlyList<string> keys)
    {
        if (item is not JsonObject obj)
        {
            return null;
        }

        var key = new JsonObject();
        foreach (var name in keys.Order(StringComparer.Ordinal))
        {
            if (obj[name] is { } value)
            {
                key[name] = value.DeepClone();
            }
            else if (KeyDefaults.TryGetValue(name, out var fallback))
            {
                key[name] = fallback.DeepClone();
            }
            else
            {
                return null;
            }
        }

        return key;
    }
}

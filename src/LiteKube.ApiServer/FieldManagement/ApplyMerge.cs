using System.Text.Json.Nodes;
using LiteKube.ApiServer.OpenApi;
using LiteKube.ApiServer.Patching;

namespace LiteKube.ApiServer.FieldManagement;

/// <summary>
/// Server-side apply's merge of an applied configuration into the live object: objects merge
/// field by field, keyed lists item by item (new items after the live ones), sets as sets, and
/// everything else (scalars, atomic lists and structs) is replaced. Removing what the applier
/// no longer sets is <see cref="FieldManager"/>'s job, not this merge's.
/// </summary>
public static class ApplyMerge
{
    public static JsonObject Merge(JsonObject live, JsonObject config, Type modelType) =>
        (JsonObject)Merge(live, config, new PatchSchema(modelType), null)!;

    private static JsonNode? Merge(JsonNode? live, JsonNode? config, PatchSchema schema, PatchField? rules)
    {
        switch (live, config)
        {
            case (JsonObject l, JsonObject c) when !ObjectFields.IsAtomic(schema):
                var merged = l.DeepClone().AsObject();
                foreach (var (name, value) in c)
                {
                    var child = schema.Field(name, out var childRules);
                    merged[name] = Merge(l[name], value, child, childRules);
                }

                return merged;
            case (JsonArray l, JsonArray c) when ObjectFields.ListKeys(rules) is { } keys:
                var items = l.Select(i => i?.DeepClone()).ToList();
                foreach (var item in c)
                {
                    var key = ObjectFields.KeyOf(item, keys);
                    var at = key is null ? -1 : items.FindIndex(i => JsonNode.DeepEquals(ObjectFields.KeyOf(i, keys), key));
                    if (at >= 0)
                    {
                        items[at] = Merge(items[at], item, schema.Element, null);
                    }
                    else
                    {
                        items.Add(item?.DeepClone());
                    }
                }

                return new JsonArray(items.ToArray());
            case (JsonArray l, JsonArray c) when rules?.ListType == "set":
                var set = l.Select(i => i?.DeepClone()).ToList();
                set.AddRange(c.Where(i => !l.Any(x => JsonNode.DeepEquals(x, i))).Select(i => i?.DeepClone()));
                return new JsonArray(set.ToArray());
            default:
                return config?.DeepClone();
        }
    }
}

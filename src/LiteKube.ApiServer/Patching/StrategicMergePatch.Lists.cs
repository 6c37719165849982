using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Patching;

// Lists with the merge strategy, and the order of the merged result.
public static partial class StrategicMergePatch
{
    /// <summary>Merges a patch list into <paramref name="original"/>: primitives as a set, objects
    /// by <paramref name="mergeKey"/> (with <c>$patch: delete|replace</c> items). Items named by the
    /// patch take the patch's order; the others keep theirs around them, as upstream orders them.</summary>
    private static JsonArray MergeList(JsonArray original, JsonArray patch, PatchSchema element, string? mergeKey)
    {
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }

        var items = original.Select(i => i?.DeepClone()).ToList();
        if (!HoldsObjects(original, patch))
        {
            var serverOrder = items.ToList();
            foreach (var value in patch)
            {
                if (!items.Any(i => JsonNode.DeepEquals(i, value)))
                {
                    items.Add(value?.DeepClone());
                }
            }

            return Ordered(items, patch.ToList(), serverOrder, null);
        }

        if (mergeKey is null)
        {
            throw new PatchException("cannot merge lists of objects without a merge key");
        }

        var (replace, patchItems) = SplitSpecialItems(items, patch, mergeKey);
        if (replace)
        {
            return new JsonArray(patchItems.Select(i => (JsonNode)MergeMap([], i, element)).ToArray());
        }

        var serverItems = items.ToList();
        foreach (var item in patchItems)
        {
            var key = MergeKeyOf(item, mergeKey);
            var at = items.FindIndex(i => i is JsonObject o && o.TryGetPropertyValue(mergeKey, out var k) && JsonNode.DeepEquals(k, key));
            if (at >= 0)
            {
                items[at] = MergeMap((JsonObject)items[at]!, item, element);
            }
            else
            {
                items.Add(MergeMap([], item, element));
            }
        }

        return Ordered(items, patchItems.Cast<JsonNode?>().ToList(), serverItems, mergeKey);
    }

    /// <summary>Takes out the <c>$patch</c> items: deletes what a delete item names from
    /// <paramref name="items"/>; a replace item means the other patch items are the whole list.</summary>
    private static (bool Replace, List<JsonObject> Items) SplitSpecialItems(List<JsonNode?> items, JsonArray patch, string mergeKey)
    {
        var rest = new List<JsonObject>();
        var replace = false;
        foreach (var item in patch.Cast<JsonObject>())
        {
            if (!item.TryGetPropertyValue(Directive, out var directive))
            {
                rest.Add(item);
                continue;
            }

            switch (DirectiveName(directive))
            {
                case "delete":
                    var key = MergeKeyOf(item, mergeKey);
                    items.RemoveAll(i => i is JsonObject o && o.TryGetPropertyValue(mergeKey, out var k) && JsonNode.DeepEquals(k, key));
                    break;
                case "replace":
                    replace = true;
                    break;
                case "merge":
                    rest.Add(Without(item, Directive));
                    break;
                default:
                    throw PatchException.Malformed($"unknown patch type: {directive?.ToJsonString()} in map: {item.ToJsonString()}");
            }
        }

        return (replace, rest);
    }

    /// <summary><c>$setElementOrder/&lt;field&gt;</c>: merges the field's list (if the patch has
    /// one) and puts the result in the given order, items the order does not name kept around
    /// them. Returns the fields it handled, which the main merge then skips.</summary>
    private static HashSet<string> ApplySetElementOrders(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (directive, value) in patch.Where(p => p.Key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)))
        {
            var field = directive[SetElementOrderPrefix.Length..];
            if (field == "" || value is not JsonArray order)
            {
                throw PatchException.Malformed($"invalid patch format of setElementOrder list: {directive} must be a list");
            }

            var child = schema.Field(field, out var rules);
            var mergeKey = rules?.MergeKey;
            var hasPatch = patch.TryGetPropertyValue(field, out var patchValue);
            if (hasPatch && patchValue is null)
            {
                continue;
            }

            if ((hasPatch && patchValue is not JsonArray) || (original[field] is { } current && current is not JsonArray))
            {
                throw PatchException.Malformed($"invalid patch format of setElementOrder list: {field} is not a list");
            }

            var patchList = patchValue as JsonArray ?? [];
            CheckOrder(patchList, order, mergeKey);
            var originalList = original[field] as JsonArray;
            if (originalList is null && !hasPatch)
            {
                continue;
            }

            var merged = (originalList, hasPatch) switch
            {
                (not null, false) => originalList.DeepClone().AsArray(),
                (not null, true) when rules is { MergesList: true } => MergeList(originalList.DeepClone().AsArray(), patchList, child.Element, mergeKey),
                _ => (JsonArray)Fresh(patchList, child, rules)!,
            };
            var items = merged.Select(i => i?.DeepClone()).ToList();
            original[field] = Ordered(items, order.ToList(), originalList?.ToList() ?? [], mergeKey);
            handled.Add(field);
        }

        return handled;
    }

    /// <summary>Upstream's check that the patch list is in the order the directive gives and names
    /// nothing the directive leaves out (delete and other directive items aside).</summary>
    private static void CheckOrder(JsonArray patchList, JsonArray order, string? mergeKey)
    {
        if (mergeKey is not null && order.Any(o => o is not JsonObject obj || !obj.ContainsKey(mergeKey)))
        {
            throw new PatchException($"an item of the $setElementOrder list does not contain the declared merge key: {mergeKey}");
        }

        var items = patchList.Where(i => i is not JsonObject o || !o.ContainsKey(Directive)).ToList();
        int p = 0, o = 0;
        while (p < items.Count && o < order.Count)
        {
            if (JsonNode.DeepEquals(Identity(items[p], mergeKey), Identity(order[o], mergeKey)))
            {
                p++;
            }

            o++;
        }

        if (p < items.Count)
        {
            throw PatchException.Malformed($"the order in patch list {patchList.ToJsonString()} doesn't match the $setElementOrder list {order.ToJsonString()}");
        }
    }

    /// <summary>Upstream's normalizeElementOrder: the items the patch (or order directive) names,
    /// in its order, merged with the others in the original's order.</summary>
    private static JsonArray Ordered(List<JsonNode?> merged, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? mergeKey)
    {
        var inPatch = merged.Where(i => IndexOf(patchOrder, i, mergeKey) >= 0).ToList();
        var serverOnly = merged.Where(i => IndexOf(patchOrder, i, mergeKey) < 0).ToList();
        var right = inPatch.OrderBy(i => IndexOf(patchOrder, i, mergeKey)).ToList();
        var left = serverOnly.OrderBy(i => IndexOf(serverOrder, i, mergeKey) is var x && x >= 0 ? x : int.MaxValue).ToList();

        var result = new JsonArray();
        int l = 0, r = 0;
        while (l < left.Count || r < right.Count)
        {
            var takeLeft = r >= right.Count
                || (l < left.Count && IndexOf(serverOrder, left[l], mergeKey) is var li and >= 0
                    && IndexOf(serverOrder, right[r], mergeKey) is var ri and >= 0 && li < ri);
            result.Add(takeLeft ? left[l++] : right[r++]);
        }

        return result;
    }

    private static int IndexOf(List<JsonNode?> list, JsonNode? item, string? mergeKey)
    {
        var identity = Identity(item, mergeKey);
        return list.FindIndex(i => JsonNode.DeepEquals(Identity(i, mergeKey), identity));
    }

    private static JsonNode? Identity(JsonNode? item, string? mergeKey) =>
        mergeKey is null ? item : item is JsonObject o ? o[mergeKey] : null;

    private static JsonNode? MergeKeyOf(JsonObject item, string mergeKey) =>
        item.TryGetPropertyValue(mergeKey, out var key)
            ? key
            : throw new PatchException($"map: {item.ToJsonString()} does not contain declared merge key: {mergeKey}");

    /// <summary>Whether the lists hold objects; lists of lists and mixed lists cannot be merged.</summary>
    private static bool HoldsObjects(JsonArray original, JsonArray patch)
    {
        var all = original.Concat(patch).ToList();
        if (all.Any(i => i is JsonArray))
        {
            throw new PatchException("lists of lists are not supported by strategic merge patch");
        }

        var objects = all.Count(i => i is JsonObject);
        return objects == 0 ? false
            : objects == all.Count ? true
            : throw new PatchException($"list element types are not identical: {original.ToJsonString()} and {patch.ToJsonString()}");
    }
}

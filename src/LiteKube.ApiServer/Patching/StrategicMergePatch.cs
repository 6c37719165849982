using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>) as upstream's
/// apimachinery strategicpatch applies it on the server for the built-in types: a JSON merge
/// patch whose lists merge item by item where the type says so (containers by name, ports by
/// containerPort), with the directives kubectl sends: <c>$patch: replace|merge|delete</c>,
/// <c>$setElementOrder/&lt;field&gt;</c>, <c>$retainKeys</c> and
/// <c>$deleteFromPrimitiveList/&lt;field&gt;</c>. A null removes a field.
/// </summary>
/// <remarks>
/// Pure: the inputs are not changed. Where upstream copies a patch value verbatim into a place
/// the object does not have yet (directives and nulls included), this merges it into nothing,
/// so no directive is ever stored. Failures are <see cref="PatchException"/>s: malformed
/// directives are 400 as upstream answers them, other failures 422 (upstream answers some of
/// those, a missing merge key for one, with a 500).
/// </remarks>
public static partial class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>Applies <paramref name="patch"/> to <paramref name="original"/>, an object of
    /// <paramref name="modelType"/> (a k8s.Models type), and returns the patched copy.</summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch, Type modelType) =>
        MergeMap(original.DeepClone().AsObject(), patch, new PatchSchema(modelType));

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/> (which it owns
    /// and changes) and returns the result.</summary>
    private static JsonObject MergeMap(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        if (patch.TryGetPropertyValue(Directive, out var directive))
        {
            switch (DirectiveName(directive))
            {
                case "replace":
                    return MergeMap([], Without(patch, Directive), schema);
                case "delete":
                    return [];
                case "merge":
                    patch = Without(patch, Directive);
                    break;
                default:
                    throw PatchException.Malformed($"unknown patch type: {directive?.ToJsonString()} in map: {patch.ToJsonString()}");
            }
        }

        ApplyRetainKeys(original, patch);
        var handled = ApplySetElementOrders(original, patch, schema);
        foreach (var (key, value) in patch)
        {
            if (key == RetainKeys || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) || handled.Contains(key))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(original, key[DeleteFromPrimitiveListPrefix.Length..], value);
                continue;
            }

            if (value is null)
            {
                original.Remove(key);
                continue;
            }

            var child = schema.Field(key, out var rules);
            var current = original[key];
            original[key] = (current, value) switch
            {
                (JsonObject o, JsonObject p) => MergeMap(o.DeepClone().AsObject(), p, child),
                (JsonArray o, JsonArray p) when rules is { MergesList: true } => MergeList(o.DeepClone().AsArray(), p, child.Element, rules.MergeKey),
                _ => Fresh(value, child, rules),
            };
        }

        return original;
    }

    /// <summary>A patch value for a place the object does not have (or has with another JSON
    /// type): merged into nothing, which drops its nulls and resolves its directives.</summary>
    private static JsonNode? Fresh(JsonNode? value, PatchSchema schema, OpenApi.PatchField? rules) => value switch
    {
        JsonObject p => MergeMap([], p, schema),
        JsonArray p when rules is { MergesList: true } => MergeList([], p, schema.Element, rules.MergeKey),
        JsonArray p => new JsonArray(p.Select(item => item is JsonObject o ? MergeMap([], o, schema.Element) : item?.DeepClone()).ToArray()),
        _ => value?.DeepClone(),
    };

    /// <summary><c>$retainKeys</c>: the fields of the original not listed are cleared; every
    /// field the patch sets must be listed.</summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeys, out var value))
        {
            return;
        }

        if (value is not JsonArray list || list.Any(k => k is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw PatchException.Malformed("invalid patch format of retainKeys: $retainKeys must be a list of field names");
        }

        var keep = list.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, v) in patch)
        {
            if (v is not null && !key.StartsWith('$') && !keep.Contains(key))
            {
                throw PatchException.Malformed($"invalid patch format of retainKeys: \"{key}\" is set by the patch but not listed in $retainKeys");
            }
        }

        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary><c>$deleteFromPrimitiveList/&lt;field&gt;</c>: removes these values from a list of primitives.</summary>
    private static void DeleteFromPrimitiveList(JsonObject original, string field, JsonNode? values)
    {
        if (field == "" || values is not JsonArray remove || remove.Any(v => v is JsonObject or JsonArray))
        {
            throw PatchException.Malformed($"invalid patch format of primitive list: {DeleteFromPrimitiveListPrefix}{field} must be a list of primitives");
        }

        if (original[field] is not JsonArray list)
        {
            return;
        }

        original[field] = new JsonArray(list.Where(item => !remove.Any(r => JsonNode.DeepEquals(r, item))).Select(item => item?.DeepClone()).ToArray());
    }

    private static string? DirectiveName(JsonNode? directive) =>
        directive is JsonValue v && v.TryGetValue<string>(out var name) ? name : null;

    private static JsonObject Without(JsonObject patch, string key)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in patch)
        {
            if (k != key)
            {
                copy[k] = v?.DeepClone();
            }
        }

        return copy;
    }
}

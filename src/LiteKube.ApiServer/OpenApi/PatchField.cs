namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// How strategic merge patch and server-side apply treat one field of a built-in type: the
/// <c>patchStrategy</c>/<c>patchMergeKey</c> struct tags and <c>+listType</c>/<c>+listMapKey</c>
/// markers of the Kubernetes Go types, which the C# models do not carry.
/// </summary>
/// <param name="Strategy"><c>x-kubernetes-patch-strategy</c>: "merge", "retainKeys",
/// "merge,retainKeys", or null (a list is then replaced as a whole by a strategic merge patch).</param>
/// <param name="MergeKey"><c>x-kubernetes-patch-merge-key</c>: the field that identifies an item
/// of a merged list of objects (containers by "name"); null for lists of primitives.</param>
/// <param name="ListType"><c>x-kubernetes-list-type</c>: "atomic", "set" or "map"; null when
/// upstream does not say.</param>
/// <param name="ListMapKeys"><c>x-kubernetes-list-map-keys</c> of a "map" list (ports by
/// containerPort and protocol); empty otherwise.</param>
public sealed record PatchField(string? Strategy, string? MergeKey, string? ListType, IReadOnlyList<string> ListMapKeys)
{
    /// <summary>A strategic merge patch merges this list item by item instead of replacing it.</summary>
    public bool MergesList => Strategy is not null && Strategy.Split(',').Contains("merge");

    /// <summary>A strategic merge patch may carry <c>$retainKeys</c> for this field.</summary>
    public bool RetainsKeys => Strategy is not null && Strategy.Split(',').Contains("retainKeys");

    /// <summary>A list of objects merged by <paramref name="mergeKey"/> and keyed by it
    /// (plus <paramref name="moreMapKeys"/>) for server-side apply.</summary>
    public static PatchField MergeMap(string mergeKey, params string[] moreMapKeys) =>
        new("merge", mergeKey, "map", [mergeKey, .. moreMapKeys]);

    /// <summary>A list of objects merged by key; upstream gives it no list type.</summary>
    public static PatchField Merge(string mergeKey) => new("merge", mergeKey, null, []);

    /// <summary>A list of objects merged by key that server-side apply still treats as atomic.</summary>
    public static PatchField MergeAtomic(string mergeKey) => new("merge", mergeKey, "atomic", []);

    /// <summary>A list of primitives merged as a set (finalizers).</summary>
    public static PatchField MergeSet { get; } = new("merge", null, "set", []);

    /// <summary>A struct whose one-of members a strategic merge patch clears with <c>$retainKeys</c>.</summary>
    public static PatchField RetainKeys { get; } = new("retainKeys", null, null, []);

    /// <summary>A list replaced as a whole by every kind of patch.</summary>
    public static PatchField Atomic { get; } = new(null, null, "atomic", []);

    /// <summary>A set that a strategic merge patch still replaces as a whole.</summary>
    public static PatchField Set { get; } = new(null, null, "set", []);
}

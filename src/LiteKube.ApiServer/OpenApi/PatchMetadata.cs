using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// The merge rules of the built-in types' fields, transcribed from the Kubernetes API
/// definitions (the <c>patchStrategy</c>/<c>patchMergeKey</c> struct tags and the
/// <c>+listType</c>/<c>+listMapKey</c> markers of k8s.io/api and k8s.io/apimachinery), because
/// the KubernetesClient models carry none of them.
/// </summary>
/// <remarks>
/// One table serves the OpenAPI documents (<c>x-kubernetes-patch-strategy</c>,
/// <c>x-kubernetes-patch-merge-key</c>, <c>x-kubernetes-list-type</c>,
/// <c>x-kubernetes-list-map-keys</c>, which kubectl reads to compute strategic merge patches)
/// and the server's strategic merge patch and server-side apply. A field missing here has no
/// strategy: a strategic merge patch replaces a list as a whole, as upstream does for lists
/// without tags (tolerations, args). Lists that upstream marks atomic are listed too, so that
/// server-side apply can tell "atomic" from "unknown". Immutable and thread-safe.
/// </remarks>
public static partial class PatchMetadata
{
    private static readonly FrozenDictionary<(Type Type, string Field), PatchField> Fields = Build();

    /// <summary>The merge rules of <paramref name="jsonPropertyName"/> (the wire name, e.g.
    /// "containers") of <paramref name="modelType"/> (a k8s.Models type, e.g. V1PodSpec), or null
    /// when upstream gives the field none.</summary>
    public static PatchField? For(Type modelType, string jsonPropertyName) =>
        Fields.GetValueOrDefault((modelType, jsonPropertyName));

    /// <summary>Every field with merge rules, for tests and tools.</summary>
    public static IEnumerable<(Type Type, string Field, PatchField Rules)> All =>
        Fields.Select(f => (f.Key.Type, f.Key.Field, f.Value));

    private static FrozenDictionary<(Type, string), PatchField> Build()
    {
        var fields = new Dictionary<(Type, string), PatchField>();
        foreach (var (type, field, rules) in MetaFields().Concat(CoreFields()).Concat(WorkloadFields()).Concat(OtherGroupFields()))
        {
            // A typo in the table must fail at first use, not silently drop a rule.
            var exists = type.GetProperties().Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == field);
            if (!exists || !fields.TryAdd((type, field), rules))
            {
                throw new InvalidOperationException($"PatchMetadata: {type.Name}.{field} is {(exists ? "listed twice" : "not a field")}");
            }
        }

        return fields.ToFrozenDictionary();
    }
}

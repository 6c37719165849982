using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>Volume access modes as kubectl abbreviates them, in upstream's fixed order.</summary>
internal static class AccessModes
{
    private static readonly (string Mode, string Short)[] Order =
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ];

    public static string Format(JsonArray modes)
    {
        var present = modes.Select(m => m?.ToString()).ToHashSet(StringComparer.Ordinal);
        return string.Join(",", Order.Where(o => present.Contains(o.Mode)).Select(o => o.Short));
    }

    /// <summary>The beta storage-class annotation wins over spec.storageClassName, as upstream's helper says.</summary>
    public static string StorageClass(JsonObjectReader o)
    {
        var annotation = o.Object("metadata.annotations")["volume.beta.kubernetes.io/storage-class"];
        return annotation is JsonValue v ? v.ToString() : o.String("spec.storageClassName");
    }
}

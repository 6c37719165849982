using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>The serialized properties of a k8s.Models type: those with a
/// <see cref="JsonPropertyNameAttribute"/>, ordered by wire name, as upstream orders them.</summary>
internal static class ModelProperties
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(PropertyInfo Property, string JsonName)>> Cache = new();

    public static IReadOnlyList<(PropertyInfo Property, string JsonName)> Of(Type type) =>
        Cache.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, JsonName: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.JsonName is not null)
            .Select(p => (p.Property, p.JsonName!))
            .OrderBy(p => p.Item2, StringComparer.Ordinal)
            .ToList());

    /// <summary>The innermost element type: <c>int?</c> -> int, <c>IList&lt;V1Container&gt;</c> ->
    /// V1Container, <c>IDictionary&lt;string, IList&lt;string&gt;&gt;</c> -> string.</summary>
    public static Type ElementType(Type type)
    {
        while (true)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (ListElement(type) is { } item)
            {
                type = item;
            }
            else if (MapValue(type) is { } value)
            {
                type = value;
            }
            else
            {
                return type;
            }
        }
    }

    /// <summary>The item type of a list property type (but not of byte[], which is base64 text).</summary>
    public static Type? ListElement(Type type)
    {
        if (type == typeof(byte[]))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(ICollection<>) || definition == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0]
            : null;
    }

    /// <summary>The value type of a string-keyed map property type.</summary>
    public static Type? MapValue(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>))
            && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;
}

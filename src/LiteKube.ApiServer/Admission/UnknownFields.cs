using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LiteKube.ApiServer.Admission;

/// <summary>
/// Finds the fields of a JSON object that its k8s.Models type does not have (what upstream's
/// strict decoding reports as <c>unknown field "spec.foo"</c>), by walking the JSON against the
/// types' <c>[JsonPropertyName]</c> properties. Maps (labels, data) accept any key; opaque types
/// (quantities, int-or-string, raw JSON) are not looked into.
/// </summary>
public static class UnknownFields
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>?> Shapes = new();

    public static IReadOnlyList<string> Find(JsonObject obj, Type modelType)
    {
        var found = new List<string>();
        Walk(obj, modelType, "", found);
        return found;
    }

    private static void Walk(JsonNode? node, Type type, string path, List<string> found)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        switch (node)
        {
            case JsonObject obj when Shape(type) is { } properties:
                foreach (var (name, value) in obj)
                {
                    var child = path == "" ? name : $"{path}.{name}";
                    if (properties.TryGetValue(name, out var propertyType))
                    {
                        Walk(value, propertyType, child, found);
                    }
                    else
                    {
                        found.Add(child);
                    }
                }

                break;
            case JsonObject obj when DictionaryValueType(type) is { } valueType:
                foreach (var (name, value) in obj)
                {
                    Walk(value, valueType, $"{path}[{name}]", found);
                }

                break;
            case JsonArray array when ElementType(type) is { } elementType:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], elementType, $"{path}[{i}]", found);
                }

                break;
        }
    }

    /// <summary>JSON name -> property type for model classes; null for anything else.</summary>
    private static IReadOnlyDictionary<string, Type>? Shape(Type type) => Shapes.GetOrAdd(type, t =>
    {
        if (t.Namespace != "k8s.Models" || !t.IsClass || t.GetProperties().All(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is null))
        {
            return null;
        }

        return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.PropertyType);
    });

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
        && typeof(IEnumerable).IsAssignableFrom(type) ? value : null;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element] ? element
        : null;
}

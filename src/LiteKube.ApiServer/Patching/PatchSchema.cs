using System.Collections.Concurrent;
using LiteKube.ApiServer.OpenApi;

namespace LiteKube.ApiServer.Patching;

/// <summary>
/// What strategic merge patch and server-side apply need to know of a place in an object: the
/// k8s.Models type there (null where the models say nothing, e.g. raw JSON) and, for a field,
/// its merge rules from <see cref="PatchMetadata"/>. Immutable and thread-safe.
/// </summary>
public readonly record struct PatchSchema(Type? Type)
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> Fields = new();

    public static PatchSchema Unknown => new(null);

    /// <summary>A string-keyed map (labels, data): its keys are not fields of a type.</summary>
    public bool IsMap => Type is not null && ModelProperties.MapValue(Unwrapped(Type)) is not null;

    /// <summary>A model type with declared fields (a struct, in upstream's words).</summary>
    public bool IsStruct => Type is not null && !IsMap && Unwrapped(Type).Namespace == "k8s.Models" && DeclaredFields(Unwrapped(Type)).Count > 0;

    /// <summary>The schema of field or map key <paramref name="name"/>, with the field's merge rules.</summary>
    public PatchSchema Field(string name, out PatchField? rules)
    {
        rules = null;
        if (Type is null)
        {
            return Unknown;
        }

        var type = Unwrapped(Type);
        if (ModelProperties.MapValue(type) is { } value)
        {
            return new PatchSchema(value);
        }

        if (!DeclaredFields(type).TryGetValue(name, out var fieldType))
        {
            return Unknown;
        }

        rules = PatchMetadata.For(type, name);
        return new PatchSchema(fieldType);
    }

    /// <summary>Whether <paramref name="name"/> is a declared field of this struct (not a map key).</summary>
    public bool Declares(string name) => Type is not null && IsStruct && DeclaredFields(Unwrapped(Type)).ContainsKey(name);

    /// <summary>The schema of one item of this list.</summary>
    public PatchSchema Element =>
        Type is not null && ModelProperties.ListElement(Unwrapped(Type)) is { } item ? new PatchSchema(item) : Unknown;

    private static Type Unwrapped(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static IReadOnlyDictionary<string, Type> DeclaredFields(Type type) =>
        Fields.GetOrAdd(type, static t => ModelProperties.Of(t).ToDictionary(p => p.JsonName, p => p.Property.PropertyType));
}

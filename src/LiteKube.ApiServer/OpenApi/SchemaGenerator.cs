using System.Reflection;
using System.Text.Json.Nodes;
using k8s.Models;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// Generates the OpenAPI schemas of k8s.Models types by reflection: property names from their
/// <c>[JsonPropertyName]</c>, types and formats from the C# types, descriptions from the
/// package's XML documentation, <c>x-kubernetes-group-version-kind</c> on kinds, and the patch
/// and list extensions from <see cref="PatchMetadata"/>. Pure and deterministic.
/// </summary>
internal sealed class SchemaGenerator(
    DefinitionNames names,
    ModelDocumentation docs,
    OpenApiDialect dialect,
    IReadOnlyList<(string Group, string Version)> servedGroupVersions)
{
    // The C# models map both meta/v1 Time and MicroTime to DateTime; these fields are MicroTime.
    private static readonly HashSet<(Type, string)> MicroTimeFields =
    [
        (typeof(Corev1Event), "eventTime"),
        (typeof(Corev1EventSeries), "lastObservedTime"),
        (typeof(Eventsv1Event), "eventTime"),
        (typeof(Eventsv1EventSeries), "lastObservedTime"),
        (typeof(V1LeaseSpec), "acquireTime"),
        (typeof(V1LeaseSpec), "renewTime"),
    ];

    // The C# models type these as object; upstream names their definitions.
    private static readonly Dictionary<(Type, string), string> ObjectFields = new()
    {
        [(typeof(V1ManagedFieldsEntry), "fieldsV1")] = DefinitionNames.FieldsV1,
        [(typeof(V1ControllerRevision), "data")] = DefinitionNames.RawExtension,
        [(typeof(V1WatchEvent), "object")] = DefinitionNames.RawExtension,
    };

    private string RefPrefix => dialect == OpenApiDialect.OpenApiV3 ? "#/components/schemas/" : "#/definitions/";

    /// <summary>A reference to a definition: <c>{"$ref": "#/components/schemas/NAME"}</c>.</summary>
    public JsonObject Ref(string definitionName) => new() { ["$ref"] = RefPrefix + definitionName };

    /// <summary>A reference to the definition of a model type.</summary>
    public JsonObject Ref(Type modelType) => Ref(names.For(modelType));

    /// <summary>
    /// The definitions of <paramref name="roots"/>, of every type they reach, and of the special
    /// types among <paramref name="extraSpecials"/> or referred to, keyed by definition name.
    /// </summary>
    public SortedDictionary<string, JsonNode> Definitions(IEnumerable<Type> roots, IEnumerable<string> extraSpecials)
    {
        var definitions = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var specials = new HashSet<string>(extraSpecials);
        var pending = new Queue<Type>(roots);
        var seen = new HashSet<Type>();
        while (pending.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            definitions[names.For(type)] = Definition(type, specials);
            foreach (var child in DefinitionNames.ModelTypesOf(type))
            {
                pending.Enqueue(child);
            }
        }

        foreach (var special in specials)
        {
            definitions[special] = SpecialSchemas.For(special, dialect);
        }

        return definitions;
    }

    private JsonObject Definition(Type type, HashSet<string> specials)
    {
        var definition = new JsonObject();
        if (docs.For(type) is { } description)
        {
            definition["description"] = description;
        }

        var properties = new JsonObject();
        var required = new List<string>();
        foreach (var (property, jsonName) in ModelProperties.Of(type))
        {
            properties[jsonName] = PropertySchema(type, property, jsonName, specials);
            if (RequiredFields.IsRequired(type, property, jsonName))
            {
                required.Add(jsonName);
            }
        }

        definition["properties"] = properties;
        if (required.Count > 0)
        {
            definition["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        }

        definition["type"] = "object";
        if (GroupVersionKinds(type) is { Count: > 0 } gvks)
        {
            definition["x-kubernetes-group-version-kind"] = new JsonArray(gvks.Select(g => (JsonNode)Gvk(g.Group, g.Version, g.Kind)).ToArray());
        }

        return definition;
    }

    /// <summary><c>{"group", "kind", "version"}</c>, the shape of x-kubernetes-group-version-kind.</summary>
    public static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["kind"] = kind, ["version"] = version };

    private List<(string Group, string Version, string Kind)> GroupVersionKinds(Type type)
    {
        // Upstream registers DeleteOptions and WatchEvent in every group version.
        if (type == typeof(V1DeleteOptions) || type == typeof(V1WatchEvent))
        {
            var kind = type == typeof(V1DeleteOptions) ? "DeleteOptions" : "WatchEvent";
            return [.. servedGroupVersions.Prepend((Group: "", Version: "v1")).Distinct().Select(gv => (gv.Group, gv.Version, kind))];
        }

        return type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity
            ? [(entity.Group, entity.ApiVersion, entity.Kind)]
            : [];
    }

    private JsonObject PropertySchema(Type declaring, PropertyInfo property, string jsonName, HashSet<string> specials)
    {
        var schema = TypeSchema(declaring, jsonName, property.PropertyType, specials);
        var siblings = new JsonObject();
        if (docs.For(property) is { } description)
        {
            siblings["description"] = description;
        }

        if (PatchMetadata.For(declaring, jsonName) is { } patch)
        {
            if (patch.ListType is not null)
            {
                siblings["x-kubernetes-list-type"] = patch.ListType;
            }

            if (patch.ListMapKeys.Count > 0)
            {
                siblings["x-kubernetes-list-map-keys"] = new JsonArray(patch.ListMapKeys.Select(k => (JsonNode)k).ToArray());
            }

            if (patch.MergeKey is not null)
            {
                siblings["x-kubernetes-patch-merge-key"] = patch.MergeKey;
            }

            if (patch.Strategy is not null)
            {
                siblings["x-kubernetes-patch-strategy"] = patch.Strategy;
            }
        }

        return WithSiblings(schema, siblings);
    }

    /// <summary>Adds description and extensions next to a schema. OpenAPI 3.0 ignores siblings of
    /// <c>$ref</c>, so there the reference goes inside <c>allOf</c>, as upstream writes it.</summary>
    private JsonObject WithSiblings(JsonObject schema, JsonObject siblings)
    {
        if (siblings.Count == 0)
        {
            return schema;
        }

        if (dialect == OpenApiDialect.OpenApiV3 && schema.ContainsKey("$ref"))
        {
            schema = new JsonObject { ["allOf"] = new JsonArray(schema) };
        }

        foreach (var (key, value) in siblings.ToList())
        {
            siblings.Remove(key);
            schema[key] = value;
        }

        return schema;
    }

    private JsonObject TypeSchema(Type declaring, string jsonName, Type type, HashSet<string> specials)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["format"] = type == typeof(int) ? "int32" : "int64", ["type"] = "integer" };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["format"] = type == typeof(double) ? "double" : "float", ["type"] = "number" };
        }

        if (type == typeof(byte[]))
        {
            return new JsonObject { ["format"] = "byte", ["type"] = "string" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return SpecialRef(MicroTimeFields.Contains((declaring, jsonName)) ? DefinitionNames.MicroTime : DefinitionNames.Time, specials);
        }

        if (type == typeof(IntOrString) || type == typeof(ResourceQuantity))
        {
            return SpecialRef(names.For(type), specials);
        }

        if (type == typeof(object))
        {
            return ObjectFields.TryGetValue((declaring, jsonName), out var named)
                ? SpecialRef(named, specials)
                : new JsonObject { ["type"] = "object" };
        }

        if (ModelProperties.ListElement(type) is { } item)
        {
            return new JsonObject { ["items"] = TypeSchema(declaring, jsonName, item, specials), ["type"] = "array" };
        }

        if (ModelProperties.MapValue(type) is { } value)
        {
            return new JsonObject { ["additionalProperties"] = TypeSchema(declaring, jsonName, value, specials), ["type"] = "object" };
        }

        return DefinitionNames.IsModel(type)
            ? Ref(type)
            : throw new NotSupportedException($"{declaring.Name}.{jsonName}: no OpenAPI schema for {type}");
    }

    private JsonObject SpecialRef(string name, HashSet<string> specials)
    {
        specials.Add(name);
        return Ref(name);
    }
}

using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Admission;

/// <summary>Namespaces: upstream's strategy and defaults. A namespace is Active, carries the
/// "kubernetes" finalizer in spec.finalizers (the namespace lifecycle reconciler removes it once
/// the content is gone), and the immutable label kubernetes.io/metadata.name.</summary>
public sealed class NamespaceStrategy : IResourceStrategy
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    public string Kind => "Namespace";

    public void Default(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            spec = [];
            obj["spec"] = spec;
        }

        if (spec["finalizers"] is not JsonArray finalizers)
        {
            finalizers = [];
            spec["finalizers"] = finalizers;
        }

        if (!finalizers.Any(f => f?.ToString() == "kubernetes"))
        {
            finalizers.Add("kubernetes");
        }

        obj["status"] = new JsonObject { ["phase"] = "Active" };
        if (obj["metadata"] is JsonObject metadata && metadata["name"]?.ToString() is { Length: > 0 } name)
        {
            if (metadata["labels"] is not JsonObject labels)
            {
                labels = [];
                metadata["labels"] = labels;
            }

            labels[NameLabel] = name;
        }
    }

    public void Validate(JsonObject obj, List<FieldError> errors)
    {
        foreach (var finalizer in obj["spec"]?["finalizers"] as JsonArray ?? [])
        {
            if (finalizer is not JsonValue v || !v.TryGetValue<string>(out var name) || name == "")
            {
                errors.Add(new FieldError("spec.finalizers", "Invalid value", "a finalizer name must be a non-empty string"));
            }
        }
    }
}

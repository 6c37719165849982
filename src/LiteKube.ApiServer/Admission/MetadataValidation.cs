using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Selectors;

namespace LiteKube.ApiServer.Admission;

/// <summary>Checks every object's metadata: name, labels and annotations, as upstream's ObjectMeta validation.</summary>
public static class MetadataValidation
{
    private const int MaxAnnotationBytes = 256 * 1024;

    public static void Validate(string kind, JsonObject metadata, List<FieldError> errors)
    {
        var name = metadata["name"]?.ToString() ?? "";
        if (name == "")
        {
            errors.Add(new FieldError("metadata.name", "Required value", "name or generateName is required"));
        }
        else
        {
            NameRules.CheckName(kind, "metadata.name", name, errors);
        }

        foreach (var (key, value) in metadata["labels"] as JsonObject ?? [])
        {
            if (!LabelSyntax.IsQualifiedName(key))
            {
                errors.Add(new FieldError($"metadata.labels", "Invalid value", $"\"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }

            if (value is not JsonValue v || !v.TryGetValue<string>(out var s) || !LabelSyntax.IsLabelValue(s))
            {
                errors.Add(new FieldError($"metadata.labels", "Invalid value", $"\"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
        }

        var annotations = metadata["annotations"] as JsonObject ?? [];
        foreach (var (key, _) in annotations)
        {
            if (!LabelSyntax.IsQualifiedName(key.ToLowerInvariant()))
            {
                errors.Add(new FieldError("metadata.annotations", "Invalid value", $"\"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
        }

        if (annotations.ToJsonString().Length > MaxAnnotationBytes)
        {
            errors.Add(new FieldError("metadata.annotations", "Too long", $"must have at most {MaxAnnotationBytes} bytes"));
        }
    }
}

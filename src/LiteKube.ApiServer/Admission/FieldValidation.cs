using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Admission;

/// <summary>
/// Upstream's fieldValidation query parameter: Strict refuses unknown fields (400 with every
/// field path), Warn accepts and answers with a Warning header per field, Ignore drops them
/// silently. Unknown fields are removed before storing in every mode, as upstream's decoding
/// into its types does. Also checks that every known field has the right JSON type.
/// </summary>
public static class FieldValidation
{
    public static void Apply(HttpContext context, JsonObject obj, ResourceDefinition resource)
    {
        var mode = context.Request.Query["fieldValidation"].ToString();
        if (mode is not ("" or "Strict" or "Warn" or "Ignore"))
        {
            throw ApiException.BadRequest($"fieldValidation must be one of Strict, Warn or Ignore, not \"{mode}\"");
        }

        CheckTypes(obj, resource);
        var unknown = UnknownFields.Find(obj, resource.ModelType).Where(p => p is not ("apiVersion" or "kind")).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        if (mode == "Strict")
        {
            throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknown.Select(p => $"unknown field \"{p}\"")));
        }

        if (mode is "" or "Warn")
        {
            // Upstream's default for a request without fieldValidation is Warn.
            foreach (var path in unknown)
            {
                WarningHeaders.Add(context.Response, $"unknown field \"{path}\"");
            }
        }

        foreach (var path in unknown)
        {
            Remove(obj, path);
        }
    }

    /// <summary>Decodes into the model type: a string where a number belongs is a 400, not a 500.</summary>
    private static void CheckTypes(JsonObject obj, ResourceDefinition resource)
    {
        try
        {
            Deserializers.GetOrAdd(resource.ModelType, MakeDeserializer)(obj.ToJsonString());
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw ApiException.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: {inner.Message}");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            throw ApiException.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: {e.Message}");
        }
    }

    private static readonly ConcurrentDictionary<Type, Func<string, object?>> Deserializers = new();

    // KubernetesJson only offers Deserialize<T>: close it once per model type.
    private static Func<string, object?> MakeDeserializer(Type type)
    {
        var method = typeof(k8s.KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(k8s.KubernetesJson.Deserialize) && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string))
            .MakeGenericMethod(type);
        return json => method.Invoke(null, [json, null]);
    }

    private static void Remove(JsonObject obj, string path)
    {
        // Paths are dotted names with [i] or [key] steps, as UnknownFields builds them.
        JsonNode? node = obj;
        var steps = Steps(path).ToList();
        foreach (var step in steps[..^1])
        {
            node = step.Index is { } i ? (node as JsonArray)?[i] : (node as JsonObject)?[step.Name];
        }

        (node as JsonObject)?.Remove(steps[^1].Name);
    }

    private static IEnumerable<(string Name, int? Index)> Steps(string path)
    {
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[');
            if (bracket < 0)
            {
                yield return (part, null);
                continue;
            }

            yield return (part[..bracket], null);
            foreach (var inner in part[bracket..].Split(']', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = inner.TrimStart('[');
                yield return int.TryParse(key, out var i) ? (key, i) : (key, null);
            }
        }
    }
}

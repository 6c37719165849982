using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Admission;

/// <summary>
/// What every write goes through before it is stored: field validation (unknown fields, field
/// types), the kind's defaults, then metadata and kind validation. A failure changes nothing:
/// 400 for undecodable bodies, 422 Invalid listing every field error.
/// </summary>
public sealed class AdmissionChain(IEnumerable<IResourceStrategy> strategies)
{
    private readonly Dictionary<string, IResourceStrategy> _strategies = strategies.ToDictionary(s => s.Kind);

    public static IEnumerable<IResourceStrategy> BuiltIn() =>
    [
        new PodStrategy(),
        new WorkloadStrategy("Deployment"),
        new WorkloadStrategy("ReplicaSet"),
        new WorkloadStrategy("StatefulSet"),
        new WorkloadStrategy("DaemonSet"),
        new JobStrategy(),
        new CronJobStrategy(),
        new ServiceStrategy(),
        new NamespaceStrategy(),
    ];

    public void Admit(HttpContext context, ResourceDefinition resource, JsonObject obj)
    {
        FieldValidation.Apply(context, obj, resource);
        var strategy = _strategies.GetValueOrDefault(resource.Kind);
        strategy?.Default(obj);
        var errors = new List<FieldError>();
        var metadata = obj["metadata"] as JsonObject ?? [];
        MetadataValidation.Validate(resource.Kind, metadata, errors);
        strategy?.Validate(obj, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(resource, metadata["name"]?.ToString() ?? "", errors);
        }
    }

    /// <summary>A write through <c>/status</c>: the body is checked as a whole object (field
    /// validation, metadata), but the kind's defaults are not applied: they belong to the spec,
    /// which a status write cannot change, and some (pods) would reset the status itself.</summary>
    public void AdmitStatus(HttpContext context, ResourceDefinition resource, JsonObject obj)
    {
        FieldValidation.Apply(context, obj, resource);
        var errors = new List<FieldError>();
        var metadata = obj["metadata"] as JsonObject ?? [];
        MetadataValidation.Validate(resource.Kind, metadata, errors);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(resource, metadata["name"]?.ToString() ?? "", errors);
        }
    }
}

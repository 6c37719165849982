using k8s.Models;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Http.Subresources;

/// <summary>The kinds subresources read and answer, described as resources so that the usual
/// body reader and field validation check them (apiVersion, kind, unknown fields).</summary>
public static class SubresourceKinds
{
    public static readonly ResourceDefinition Scale = Describe<V1Scale>("scale");
    public static readonly ResourceDefinition Binding = Describe<V1Binding>("bindings");
    public static readonly ResourceDefinition Eviction = Describe<V1Eviction>("evictions");

    private static ResourceDefinition Describe<T>(string plural)
    {
        var entity = typeof(T).GetCustomAttributes(typeof(KubernetesEntityAttribute), false).Cast<KubernetesEntityAttribute>().Single();
        return new ResourceDefinition
        {
            Group = entity.Group,
            Version = entity.ApiVersion,
            Kind = entity.Kind,
            Plural = plural,
            Namespaced = true,
            ModelType = typeof(T),
        };
    }
}

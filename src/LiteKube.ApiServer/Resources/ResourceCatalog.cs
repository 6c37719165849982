using k8s.Models;

namespace LiteKube.ApiServer.Resources;

/// <summary>Every resource the API server serves, with upstream's discovery facts (short
/// names, categories, subresources) so that kubectl's shortcuts and <c>get all</c> work.</summary>
public sealed class ResourceCatalog
{
    private static readonly string[] All = ["all"];
    private static readonly string[] CreateOnly = ["create"];

    private readonly Dictionary<(string Group, string Version, string Plural), ResourceDefinition> _byPath;

    public ResourceCatalog(IEnumerable<ResourceDefinition> resources)
    {
        Resources = resources.ToList();
        _byPath = Resources.ToDictionary(r => (r.Group, r.Version, r.Plural));
    }

    public IReadOnlyList<ResourceDefinition> Resources { get; }

    public ResourceDefinition? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault((group, version, plural));

    /// <summary>Group versions in the order discovery lists them (core first).</summary>
    public IReadOnlyList<(string Group, string Version)> GroupVersions() =>
        Resources.Select(r => (r.Group, r.Version)).Distinct().ToList();

    public static ResourceCatalog BuiltIn() => new(
    [
        // core/v1
        // Upstream serves no deletecollection of namespaces.
        Define<V1Namespace>(namespaced: false, shortNames: ["ns"], subresources: ["status", "finalize"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"]),
        Define<V1Pod>(shortNames: ["po"], categories: All, subresources: ["status", "binding", "eviction", "log", "exec"]),
        Define<V1Service>(shortNames: ["svc"], categories: All, subresources: ["status"]),
        Define<V1Endpoints>(shortNames: ["ep"]),
        Define<V1ConfigMap>(shortNames: ["cm"]),
        Define<V1Secret>(),
        Define<V1ServiceAccount>(shortNames: ["sa"], subresources: ["token"]),
        Define<V1Node>(namespaced: false, shortNames: ["no"], subresources: ["status"]),
        Define<Corev1Event>(shortNames: ["ev"]),
        Define<V1LimitRange>(shortNames: ["limits"]),
        Define<V1ResourceQuota>(shortNames: ["quota"], subresources: ["status"]),
        Define<V1PersistentVolume>(namespaced: false, shortNames: ["pv"], subresources: ["status"]),
        Define<V1PersistentVolumeClaim>(shortNames: ["pvc"], subresources: ["status"]),
        Define<V1ReplicationController>(shortNames: ["rc"], categories: All, subresources: ["status", "scale"]),
        // apps/v1
        Define<V1Deployment>(shortNames: ["deploy"], categories: All, subresources: ["status", "scale"]),
        Define<V1ReplicaSet>(shortNames: ["rs"], categories: All, subresources: ["status", "scale"]),
        Define<V1StatefulSet>(shortNames: ["sts"], categories: All, subresources: ["status", "scale"]),
        Define<V1DaemonSet>(shortNames: ["ds"], categories: All, subresources: ["status"]),
        Define<V1ControllerRevision>(),
        // batch/v1
        Define<V1Job>(categories: All, subresources: ["status"]),
        Define<V1CronJob>(shortNames: ["cj"], categories: All, subresources: ["status"]),
        // coordination.k8s.io/v1, discovery.k8s.io/v1, policy/v1, autoscaling/v2, events.k8s.io/v1
        Define<V1Lease>(),
        Define<V1EndpointSlice>(),
        Define<V1PodDisruptionBudget>(shortNames: ["pdb"], subresources: ["status"]),
        Define<V2HorizontalPodAutoscaler>(shortNames: ["hpa"], categories: All, subresources: ["status"]),
        Define<Eventsv1Event>(shortNames: ["ev"]),
        // rbac.authorization.k8s.io/v1
        Define<V1Role>(),
        Define<V1RoleBinding>(),
        Define<V1ClusterRole>(namespaced: false),
        Define<V1ClusterRoleBinding>(namespaced: false),
        // authorization.k8s.io/v1 and authentication.k8s.io/v1: reviews are created, never stored
        Define<V1SelfSubjectAccessReview>(plural: "selfsubjectaccessreviews", namespaced: false, verbs: CreateOnly),
        Define<V1SelfSubjectRulesReview>(plural: "selfsubjectrulesreviews", namespaced: false, verbs: CreateOnly),
        Define<V1SubjectAccessReview>(plural: "subjectaccessreviews", namespaced: false, verbs: CreateOnly),
        Define<V1LocalSubjectAccessReview>(plural: "localsubjectaccessreviews", verbs: CreateOnly),
        Define<V1TokenReview>(plural: "tokenreviews", namespaced: false, verbs: CreateOnly),
        Define<V1SelfSubjectReview>(plural: "selfsubjectreviews", namespaced: false, verbs: CreateOnly),
    ]);

    private static ResourceDefinition Define<T>(
        bool namespaced = true,
        string[]? shortNames = null,
        string[]? categories = null,
        string[]? subresources = null,
        string[]? verbs = null,
        string? plural = null)
    {
        var entity = typeof(T).GetCustomAttributes(typeof(KubernetesEntityAttribute), false)
            .Cast<KubernetesEntityAttribute>()
            .Single();
        var definition = new ResourceDefinition
        {
            Group = entity.Group,
            Version = entity.ApiVersion,
            Kind = entity.Kind,
            // The review kinds carry no plural in the model attributes.
            Plural = !string.IsNullOrEmpty(plural) ? plural
                : !string.IsNullOrEmpty(entity.PluralName) ? entity.PluralName
                : throw new InvalidOperationException($"{typeof(T).Name} needs an explicit plural"),
            Namespaced = namespaced,
            ModelType = typeof(T),
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            Subresources = subresources ?? [],
        };
        return verbs is null ? definition : definition with { Verbs = verbs };
    }
}

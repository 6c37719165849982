using k8s.Models;
using static LiteKube.ApiServer.OpenApi.PatchField;

namespace LiteKube.ApiServer.OpenApi;

// apps/v1, batch/v1, policy/v1, autoscaling/v2, discovery.k8s.io/v1, rbac.authorization.k8s.io/v1:
// the types.go of each group in k8s.io/api.
public static partial class PatchMetadata
{
    private static IEnumerable<(Type, string, PatchField)> WorkloadFields() =>
    [
        // A Deployment's strategy is a one-of (Recreate has no rollingUpdate): $retainKeys
        // lets a strategic merge patch switch type and drop the other member.
        (typeof(V1DeploymentSpec), "strategy", RetainKeys),
        (typeof(V1DeploymentStatus), "conditions", MergeMap("type")),
        (typeof(V1ReplicaSetStatus), "conditions", MergeMap("type")),
        (typeof(V1StatefulSetSpec), "volumeClaimTemplates", Atomic),
        (typeof(V1StatefulSetStatus), "conditions", MergeMap("type")),
        (typeof(V1DaemonSetStatus), "conditions", MergeMap("type")),

        (typeof(V1JobStatus), "conditions", MergeAtomic("type")),
        (typeof(V1CronJobStatus), "active", Atomic),
        (typeof(V1PodFailurePolicy), "rules", Atomic),
        (typeof(V1PodFailurePolicyRule), "onPodConditions", Atomic),
        (typeof(V1PodFailurePolicyOnExitCodesRequirement), "values", Set),
        (typeof(V1SuccessPolicy), "rules", Atomic),
    ];

    private static IEnumerable<(Type, string, PatchField)> OtherGroupFields() =>
    [
        (typeof(V1PodDisruptionBudgetStatus), "conditions", MergeMap("type")),

        (typeof(V2HorizontalPodAutoscalerSpec), "metrics", Atomic),
        (typeof(V2HorizontalPodAutoscalerStatus), "currentMetrics", Atomic),
        (typeof(V2HorizontalPodAutoscalerStatus), "conditions", MergeMap("type")),
        (typeof(V2HPAScalingRules), "policies", Atomic),

        (typeof(V1EndpointSlice), "endpoints", Atomic),
        (typeof(V1EndpointSlice), "ports", Atomic),
        (typeof(V1Endpoint), "addresses", Set),

        (typeof(V1Role), "rules", Atomic),
        (typeof(V1ClusterRole), "rules", Atomic),
        (typeof(V1AggregationRule), "clusterRoleSelectors", Atomic),
        (typeof(V1RoleBinding), "subjects", Atomic),
        (typeof(V1ClusterRoleBinding), "subjects", Atomic),
        (typeof(V1PolicyRule), "apiGroups", Atomic),
        (typeof(V1PolicyRule), "resources", Atomic),
        (typeof(V1PolicyRule), "resourceNames", Atomic),
        (typeof(V1PolicyRule), "nonResourceURLs", Atomic),
        (typeof(V1PolicyRule), "verbs", Atomic),
    ];
}

using System.Reflection;
using k8s.Models;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// Which fields upstream's schemas list as <c>required</c> (<c>kubectl explain</c> marks them
/// "-required-"). The C# models say it only for value types, which the generator makes
/// non-nullable exactly when upstream requires them; required strings, lists and objects are
/// transcribed here from the Kubernetes API definitions for the types users write most.
/// </summary>
internal static class RequiredFields
{
    private static readonly HashSet<(Type, string)> Table =
    [
        (typeof(V1PodSpec), "containers"),
        (typeof(V1Container), "name"),
        (typeof(V1EphemeralContainer), "name"),
        (typeof(V1EnvVar), "name"),
        (typeof(V1VolumeMount), "name"),
        (typeof(V1VolumeMount), "mountPath"),
        (typeof(V1VolumeDevice), "name"),
        (typeof(V1VolumeDevice), "devicePath"),
        (typeof(V1Volume), "name"),
        (typeof(V1KeyToPath), "key"),
        (typeof(V1KeyToPath), "path"),
        (typeof(V1ConfigMapKeySelector), "key"),
        (typeof(V1SecretKeySelector), "key"),
        (typeof(V1ObjectFieldSelector), "fieldPath"),
        (typeof(V1ResourceFieldSelector), "resource"),
        (typeof(V1HTTPGetAction), "port"),
        (typeof(V1TCPSocketAction), "port"),
        (typeof(V1HostPathVolumeSource), "path"),
        (typeof(V1NFSVolumeSource), "server"),
        (typeof(V1NFSVolumeSource), "path"),
        (typeof(V1PersistentVolumeClaimVolumeSource), "claimName"),
        (typeof(V1PodCondition), "type"),
        (typeof(V1PodCondition), "status"),
        (typeof(V1NodeCondition), "type"),
        (typeof(V1NodeCondition), "status"),
        (typeof(V1NodeAddress), "type"),
        (typeof(V1NodeAddress), "address"),
        (typeof(V1Taint), "key"),
        (typeof(V1Taint), "effect"),
        (typeof(V1NodeSelector), "nodeSelectorTerms"),
        (typeof(V1NodeSelectorRequirement), "key"),
        (typeof(V1NodeSelectorRequirement), "operator"),
        (typeof(V1PodAffinityTerm), "topologyKey"),
        (typeof(V1TopologySpreadConstraint), "topologyKey"),
        (typeof(V1TopologySpreadConstraint), "whenUnsatisfiable"),
        (typeof(V1LocalObjectReference), "name"),
        (typeof(V1LimitRangeSpec), "limits"),
        (typeof(V1LimitRangeItem), "type"),
        (typeof(V1EndpointSubset), "addresses"),
        (typeof(V1EndpointAddress), "ip"),
        (typeof(Corev1EndpointPort), "port"),
        (typeof(Corev1Event), "metadata"),
        (typeof(Corev1Event), "involvedObject"),
        (typeof(V1OwnerReference), "apiVersion"),
        (typeof(V1OwnerReference), "kind"),
        (typeof(V1OwnerReference), "name"),
        (typeof(V1OwnerReference), "uid"),
        (typeof(V1LabelSelectorRequirement), "key"),
        (typeof(V1LabelSelectorRequirement), "operator"),
        (typeof(V1Condition), "type"),
        (typeof(V1Condition), "status"),
        (typeof(V1Condition), "reason"),
        (typeof(V1Condition), "message"),
        (typeof(V1DeploymentSpec), "selector"),
        (typeof(V1DeploymentSpec), "template"),
        (typeof(V1DeploymentCondition), "type"),
        (typeof(V1DeploymentCondition), "status"),
        (typeof(V1ReplicaSetSpec), "selector"),
        (typeof(V1StatefulSetSpec), "selector"),
        (typeof(V1StatefulSetSpec), "template"),
        (typeof(V1DaemonSetSpec), "selector"),
        (typeof(V1DaemonSetSpec), "template"),
        (typeof(V1ControllerRevision), "revision"),
        (typeof(V1JobSpec), "template"),
        (typeof(V1JobCondition), "type"),
        (typeof(V1JobCondition), "status"),
        (typeof(V1CronJobSpec), "schedule"),
        (typeof(V1CronJobSpec), "jobTemplate"),
        (typeof(V1RoleRef), "apiGroup"),
        (typeof(V1RoleRef), "kind"),
        (typeof(V1RoleRef), "name"),
        (typeof(V1RoleBinding), "roleRef"),
        (typeof(V1ClusterRoleBinding), "roleRef"),
        (typeof(Rbacv1Subject), "kind"),
        (typeof(Rbacv1Subject), "name"),
        (typeof(V1PolicyRule), "verbs"),
        (typeof(V1EndpointSlice), "addressType"),
        (typeof(V1EndpointSlice), "endpoints"),
        (typeof(V1Endpoint), "addresses"),
        (typeof(V2HorizontalPodAutoscalerSpec), "scaleTargetRef"),
        (typeof(V2CrossVersionObjectReference), "kind"),
        (typeof(V2CrossVersionObjectReference), "name"),
        (typeof(V2MetricSpec), "type"),
        (typeof(V1Binding), "target"),
        (typeof(Authenticationv1TokenRequest), "spec"),
        (typeof(V1TokenRequestSpec), "audiences"),
        (typeof(V1SelfSubjectAccessReview), "spec"),
        (typeof(V1SubjectAccessReview), "spec"),
        (typeof(V1LocalSubjectAccessReview), "spec"),
        (typeof(V1SelfSubjectRulesReview), "spec"),
        (typeof(V1TokenReview), "spec"),
    ];

    public static bool IsRequired(Type type, PropertyInfo property, string jsonName) =>
        // The models make a value type nullable exactly when upstream leaves it optional.
        (property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
        // Every list kind requires its items.
        || (jsonName == "items" && type.Name.EndsWith("List", StringComparison.Ordinal))
        || Table.Contains((type, jsonName));
}

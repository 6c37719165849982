using k8s.Models;
using static LiteKube.ApiServer.OpenApi.PatchField;

namespace LiteKube.ApiServer.OpenApi;

// core/v1 and meta/v1: k8s.io/api/core/v1/types.go and k8s.io/apimachinery/pkg/apis/meta/v1/types.go.
public static partial class PatchMetadata
{
    private static IEnumerable<(Type, string, PatchField)> MetaFields() =>
    [
        (typeof(V1ObjectMeta), "finalizers", MergeSet),
        (typeof(V1ObjectMeta), "ownerReferences", MergeMap("uid")),
        (typeof(V1ObjectMeta), "managedFields", Atomic),
        (typeof(V1LabelSelector), "matchExpressions", Atomic),
        (typeof(V1LabelSelectorRequirement), "values", Atomic),
        (typeof(V1StatusDetails), "causes", Atomic),
    ];

    private static IEnumerable<(Type, string, PatchField)> CoreFields() =>
    [
        .. PodSpecFields(),
        .. ContainerFields(typeof(V1Container)),
        .. ContainerFields(typeof(V1EphemeralContainer)),
        .. PodStatusFields(),

        (typeof(V1ServiceSpec), "ports", MergeMap("port", "protocol")),
        (typeof(V1ServiceSpec), "clusterIPs", Atomic),
        (typeof(V1ServiceSpec), "externalIPs", Atomic),
        (typeof(V1ServiceSpec), "ipFamilies", Atomic),
        (typeof(V1ServiceSpec), "loadBalancerSourceRanges", Atomic),
        (typeof(V1ServiceStatus), "conditions", MergeMap("type")),
        (typeof(V1LoadBalancerStatus), "ingress", Atomic),
        (typeof(V1LoadBalancerIngress), "ports", Atomic),

        (typeof(V1NodeSpec), "podCIDRs", MergeSet),
        (typeof(V1NodeSpec), "taints", Atomic),
        (typeof(V1NodeStatus), "conditions", MergeMap("type")),
        (typeof(V1NodeStatus), "addresses", Merge("type")),
        (typeof(V1NodeStatus), "images", Atomic),
        (typeof(V1NodeStatus), "volumesInUse", Atomic),
        (typeof(V1NodeStatus), "volumesAttached", Atomic),
        (typeof(V1NodeStatus), "runtimeHandlers", Atomic),

        (typeof(V1NamespaceSpec), "finalizers", Atomic),
        (typeof(V1NamespaceStatus), "conditions", MergeMap("type")),

        (typeof(V1ServiceAccount), "secrets", Merge("name")),
        (typeof(V1ServiceAccount), "imagePullSecrets", Atomic),

        (typeof(V1PersistentVolumeSpec), "accessModes", Atomic),
        (typeof(V1PersistentVolumeSpec), "mountOptions", Atomic),
        (typeof(V1PersistentVolumeClaimSpec), "accessModes", Atomic),
        (typeof(V1PersistentVolumeClaimStatus), "accessModes", Atomic),
        (typeof(V1PersistentVolumeClaimStatus), "conditions", MergeMap("type")),

        (typeof(V1ReplicationControllerStatus), "conditions", MergeMap("type")),

        (typeof(V1Endpoints), "subsets", Atomic),
        (typeof(V1EndpointSubset), "addresses", Atomic),
        (typeof(V1EndpointSubset), "notReadyAddresses", Atomic),
        (typeof(V1EndpointSubset), "ports", Atomic),

        (typeof(V1LimitRangeSpec), "limits", Atomic),
        (typeof(V1ResourceQuotaSpec), "scopes", Atomic),
        (typeof(V1ScopeSelector), "matchExpressions", Atomic),

        (typeof(V1NodeSelector), "nodeSelectorTerms", Atomic),
        (typeof(V1NodeSelectorTerm), "matchExpressions", Atomic),
        (typeof(V1NodeSelectorTerm), "matchFields", Atomic),
        (typeof(V1NodeSelectorRequirement), "values", Atomic),
        (typeof(V1NodeAffinity), "preferredDuringSchedulingIgnoredDuringExecution", Atomic),
        (typeof(V1PodAffinity), "requiredDuringSchedulingIgnoredDuringExecution", Atomic),
        (typeof(V1PodAffinity), "preferredDuringSchedulingIgnoredDuringExecution", Atomic),
        (typeof(V1PodAntiAffinity), "requiredDuringSchedulingIgnoredDuringExecution", Atomic),
        (typeof(V1PodAntiAffinity), "preferredDuringSchedulingIgnoredDuringExecution", Atomic),
        (typeof(V1PodAffinityTerm), "namespaces", Atomic),
        (typeof(V1PodAffinityTerm), "matchLabelKeys", Atomic),
        (typeof(V1PodAffinityTerm), "mismatchLabelKeys", Atomic),
        (typeof(V1TopologySpreadConstraint), "matchLabelKeys", Atomic),

        (typeof(V1Capabilities), "add", Atomic),
        (typeof(V1Capabilities), "drop", Atomic),
        (typeof(V1PodSecurityContext), "supplementalGroups", Atomic),
        (typeof(V1PodSecurityContext), "sysctls", Atomic),
        (typeof(V1PodDNSConfig), "nameservers", Atomic),
        (typeof(V1PodDNSConfig), "searches", Atomic),
        (typeof(V1PodDNSConfig), "options", Atomic),
        (typeof(V1HostAlias), "hostnames", Atomic),
        (typeof(V1ExecAction), "command", Atomic),
        (typeof(V1HTTPGetAction), "httpHeaders", Atomic),

        (typeof(V1ProjectedVolumeSource), "sources", Atomic),
        (typeof(V1ConfigMapVolumeSource), "items", Atomic),
        (typeof(V1SecretVolumeSource), "items", Atomic),
        (typeof(V1ConfigMapProjection), "items", Atomic),
        (typeof(V1SecretProjection), "items", Atomic),
        (typeof(V1DownwardAPIVolumeSource), "items", Atomic),
        (typeof(V1DownwardAPIProjection), "items", Atomic),
    ];

    private static IEnumerable<(Type, string, PatchField)> PodSpecFields() =>
    [
        (typeof(V1PodSpec), "volumes", new PatchField("merge,retainKeys", "name", "map", ["name"])),
        (typeof(V1PodSpec), "initContainers", MergeMap("name")),
        (typeof(V1PodSpec), "containers", MergeMap("name")),
        (typeof(V1PodSpec), "ephemeralContainers", MergeMap("name")),
        (typeof(V1PodSpec), "imagePullSecrets", MergeMap("name")),
        (typeof(V1PodSpec), "hostAliases", MergeMap("ip")),
        (typeof(V1PodSpec), "topologySpreadConstraints", MergeMap("topologyKey", "whenUnsatisfiable")),
        (typeof(V1PodSpec), "schedulingGates", MergeMap("name")),
        (typeof(V1PodSpec), "resourceClaims", new PatchField("merge,retainKeys", "name", "map", ["name"])),
        // Tolerations and readiness gates carry no patch strategy upstream: a strategic merge
        // patch replaces them as a whole.
        (typeof(V1PodSpec), "tolerations", Atomic),
        (typeof(V1PodSpec), "readinessGates", Atomic),
    ];

    // Container and EphemeralContainer share upstream's EphemeralContainerCommon tags.
    private static IEnumerable<(Type, string, PatchField)> ContainerFields(Type container) =>
    [
        (container, "command", Atomic),
        (container, "args", Atomic),
        (container, "ports", MergeMap("containerPort", "protocol")),
        (container, "envFrom", Atomic),
        (container, "env", MergeMap("name")),
        (container, "volumeMounts", MergeMap("mountPath")),
        (container, "volumeDevices", MergeMap("devicePath")),
        (container, "resizePolicy", Atomic),
    ];

    private static IEnumerable<(Type, string, PatchField)> PodStatusFields() =>
    [
        (typeof(V1PodStatus), "conditions", MergeMap("type")),
        (typeof(V1PodStatus), "podIPs", MergeMap("ip")),
        (typeof(V1PodStatus), "hostIPs", MergeAtomic("ip")),
        (typeof(V1PodStatus), "initContainerStatuses", Atomic),
        (typeof(V1PodStatus), "containerStatuses", Atomic),
        (typeof(V1PodStatus), "ephemeralContainerStatuses", Atomic),
        (typeof(V1PodStatus), "resourceClaimStatuses", new PatchField("merge,retainKeys", "name", "map", ["name"])),
        (typeof(V1ContainerStatus), "volumeMounts", MergeMap("mountPath")),
        (typeof(V1ContainerStatus), "allocatedResourcesStatus", MergeMap("name")),
    ];
}

namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>
/// The default cluster roles and bindings, transcribed from upstream's bootstrap policy
/// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go). Without aggregation, admin,
/// edit and view carry the union of the rules upstream aggregates into them.
/// </summary>
public static class DefaultClusterRoles
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] ReadWrite = [.. Read, .. Write];
    private static readonly string[] Get = ["get"];
    private static readonly string[] Create = ["create"];

    private const string Core = "";
    private const string Apps = "apps";
    private const string Authentication = "authentication.k8s.io";
    private const string Authorization = "authorization.k8s.io";
    private const string Autoscaling = "autoscaling";
    private const string Batch = "batch";
    private const string Certificates = "certificates.k8s.io";
    private const string Coordination = "coordination.k8s.io";
    private const string Discovery = "discovery.k8s.io";
    private const string Events = "events.k8s.io";
    private const string Extensions = "extensions";
    private const string Networking = "networking.k8s.io";
    private const string Node = "node.k8s.io";
    private const string Policy = "policy";
    private const string Rbac = "rbac.authorization.k8s.io";
    private const string Storage = "storage.k8s.io";

    public static IReadOnlyList<(string Name, IReadOnlyList<PolicyRule> Rules)> Roles { get; } =
    [
        ("cluster-admin", [R(["*"], ["*"], "*"), Urls(["*"], "*")]),
        ("admin", [.. ViewRules(), .. EditRules(), .. AdminRules()]),
        ("edit", [.. ViewRules(), .. EditRules()]),
        ("view", ViewRules()),
        ("system:discovery", [Urls(Get, "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/")]),
        ("system:basic-user",
        [
            R(Create, [Authorization], "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
            R(Create, [Authentication], "selfsubjectreviews"),
        ]),
        ("system:public-info-viewer", [Urls(Get, "/healthz", "/livez", "/readyz", "/version", "/version/")]),
        ("system:monitoring", [Urls(Get, "/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*")]),
        ("system:auth-delegator",
        [
            R(Create, [Authentication], "tokenreviews"),
            R(Create, [Authorization], "subjectaccessreviews"),
        ]),
        ("system:kube-scheduler", SchedulerRules()),
        ("system:kube-controller-manager", ControllerManagerRules()),
        ("system:node", NodeRules()),
        ("system:node-proxier",
        [
            R(["list", "watch"], [Core], "services", "endpoints"),
            R(["get", "list", "watch"], [Core], "nodes"),
            R(["create", "patch", "update"], [Core, Events], "events"),
            R(["list", "watch"], [Discovery], "endpointslices"),
        ]),
    ];

    /// <summary>(binding name, cluster role, subjects): upstream's ClusterRoleBindings.</summary>
    public static IReadOnlyList<(string Name, string Role, IReadOnlyList<RbacSubject> Subjects)> Bindings { get; } =
    [
        ("cluster-admin", "cluster-admin", [Group(SystemGroups.Masters)]),
        ("system:discovery", "system:discovery", [Group(SystemGroups.Authenticated)]),
        ("system:basic-user", "system:basic-user", [Group(SystemGroups.Authenticated)]),
        ("system:public-info-viewer", "system:public-info-viewer", [Group(SystemGroups.Authenticated), Group(SystemGroups.Unauthenticated)]),
        ("system:monitoring", "system:monitoring", [Group(SystemGroups.Monitoring)]),
        ("system:kube-scheduler", "system:kube-scheduler", [User("system:kube-scheduler")]),
        ("system:kube-controller-manager", "system:kube-controller-manager", [User("system:kube-controller-manager")]),
        // Upstream leaves this binding without subjects and lets the Node authorizer decide;
        // until LiteKube has one, nodes get the role through their group, as before 1.8.
        ("system:node", "system:node", [Group(SystemGroups.Nodes)]),
        ("system:node-proxier", "system:node-proxier", [User("system:kube-proxy")]),
    ];

    private static PolicyRule[] ViewRules() =>
    [
        R(Read, [Core], "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
            "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
        R(Read, [Core], "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
            "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"),
        // Namespace read at namespace scope lets a user read *this* namespace.
        R(Read, [Core], "namespaces"),
        R(Read, [Discovery], "endpointslices"),
        R(Read, [Apps], "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
            "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
            "statefulsets/scale", "statefulsets/status"),
        R(Read, [Autoscaling], "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
        R(Read, [Batch], "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
        R(Read, [Extensions], "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
            "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status",
            "replicationcontrollers/scale"),
        R(Read, [Policy], "poddisruptionbudgets", "poddisruptionbudgets/status"),
        R(Read, [Networking], "ingresses", "ingresses/status", "networkpolicies"),
    ];

    private static PolicyRule[] EditRules() =>
    [
        // Secrets and exec are edit, not view: reading them escalates to whatever they hold.
        R(Read, [Core], "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"),
        R(["impersonate"], [Core], "serviceaccounts"),
        R(Write, [Core], "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
        R(Create, [Core], "pods/eviction"),
        R(Write, [Core], "configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
            "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"),
        R(Create, [Core], "serviceaccounts/token"),
        R(Write, [Apps], "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
            "replicasets/scale", "statefulsets", "statefulsets/scale"),
        R(Write, [Autoscaling], "horizontalpodautoscalers"),
        R(Write, [Batch], "cronjobs", "jobs"),
        R(Write, [Extensions], "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
            "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"),
        R(Write, [Policy], "poddisruptionbudgets"),
        R(Write, [Networking], "ingresses", "networkpolicies"),
        R(ReadWrite, [Coordination], "leases"),
    ];

    private static PolicyRule[] AdminRules() =>
    [
        R(Create, [Authorization], "localsubjectaccessreviews"),
        R(ReadWrite, [Rbac], "rolebindings", "roles"),
    ];

    private static PolicyRule[] SchedulerRules() =>
    [
        R(["create", "patch", "update"], [Core, Events], "events"),
        R(Create, [Coordination], "leases"),
        R(["get", "update"], [Coordination], "leases") with { ResourceNames = ["kube-scheduler"] },
        R(Create, [Core], "endpoints"),
        R(["get", "update"], [Core], "endpoints") with { ResourceNames = ["kube-scheduler"] },
        R(Read, [Core], "nodes"),
        R(["delete", "get", "list", "watch"], [Core], "pods"),
        R(Create, [Core], "bindings", "pods/binding"),
        R(["patch", "update"], [Core], "pods/status"),
        R(Read, [Core], "replicationcontrollers", "services"),
        R(Read, [Apps, Extensions], "replicasets"),
        R(Read, [Apps], "statefulsets"),
        R(Read, [Policy], "poddisruptionbudgets"),
        R(Read, [Core], "persistentvolumeclaims", "persistentvolumes"),
        R(Create, [Authentication], "tokenreviews"),
        R(Create, [Authorization], "subjectaccessreviews"),
        R(Read, [Storage], "csinodes", "csidrivers", "csistoragecapacities"),
        R(Read, [Core], "namespaces"),
    ];

    private static PolicyRule[] ControllerManagerRules() =>
    [
        R(["create", "patch", "update"], [Core, Events], "events"),
        R(Create, [Coordination], "leases"),
        R(["get", "update"], [Coordination], "leases") with { ResourceNames = ["kube-controller-manager"] },
        R(Create, [Core], "endpoints"),
        R(["get", "update"], [Core], "endpoints") with { ResourceNames = ["kube-controller-manager"] },
        R(Create, [Core], "secrets", "serviceaccounts"),
        R(["delete"], [Core], "secrets"),
        R(Get, [Core], "configmaps", "namespaces", "secrets", "serviceaccounts"),
        R(["update"], [Core], "secrets", "serviceaccounts"),
        R(Create, [Authentication], "tokenreviews"),
        R(Create, [Authorization], "subjectaccessreviews"),
        R(["list", "watch"], ["*"], "*"),
        R(Create, [Core], "serviceaccounts/token"),
    ];

    private static PolicyRule[] NodeRules() =>
    [
        R(Create, [Authentication], "tokenreviews"),
        R(Create, [Authorization], "localsubjectaccessreviews", "subjectaccessreviews"),
        R(Read, [Core], "services"),
        R(["create", "get", "list", "watch"], [Core], "nodes"),
        R(["patch", "update"], [Core], "nodes/status"),
        R(["delete", "patch", "update"], [Core], "nodes"),
        R(["create", "patch", "update"], [Core, Events], "events"),
        R(Read, [Core], "pods"),
        R(["create", "delete"], [Core], "pods"),
        R(["patch", "update"], [Core], "pods/status"),
        R(Create, [Core], "pods/eviction"),
        R(Read, [Core], "configmaps", "secrets"),
        R(Get, [Core], "persistentvolumeclaims", "persistentvolumes"),
        R(Get, [Core], "endpoints"),
        R(["create", "get", "list", "watch"], [Certificates], "certificatesigningrequests"),
        R(["create", "delete", "get", "patch", "update"], [Coordination], "leases"),
        R(Get, [Storage], "volumeattachments"),
        R(Create, [Core], "serviceaccounts/token"),
        R(["get", "patch", "update"], [Core], "persistentvolumeclaims/status"),
        R(Read, [Storage], "csidrivers"),
        R(["create", "delete", "get", "patch", "update"], [Storage], "csinodes"),
        R(Read, [Node], "runtimeclasses"),
        R(Read, [Discovery], "endpointslices"),
    ];

    private static PolicyRule R(string[] verbs, string[] groups, params string[] resources) =>
        new() { Verbs = verbs, ApiGroups = groups, Resources = resources };

    private static PolicyRule Urls(string[] verbs, params string[] urls) => new() { Verbs = verbs, NonResourceUrls = urls };

    private static RbacSubject Group(string name) => new(RbacSubject.GroupKind, name);

    private static RbacSubject User(string name) => new(RbacSubject.UserKind, name);
}

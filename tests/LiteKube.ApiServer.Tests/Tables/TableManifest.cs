namespace LiteKube.ApiServer.Tests.Tables;

/// <summary>One object of every kind the server prints, for the kubectl column tests.</summary>
internal static class TableManifest
{
    public const string Namespace = "tables";

    public const string Yaml = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          containers: [{name: web, image: "nginx:1.27"}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: manual}
        subsets: [{addresses: [{ip: 10.42.0.9}], ports: [{port: 8080}]}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cfg}
        data: {a: "1", b: "2"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: sec}
        stringData: {token: abc}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: builder}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: tables-node, labels: {node-role.kubernetes.io/control-plane: ""}}
        ---
        apiVersion: v1
        kind: Event
        metadata: {name: web.1}
        involvedObject: {kind: Pod, name: web, namespace: tables}
        reason: Tested
        message: printed by the tables test
        type: Normal
        source: {component: tables-test}
        count: 2
        firstTimestamp: "2026-01-01T00:00:00Z"
        lastTimestamp: "2026-01-02T00:00:00Z"
        ---
        apiVersion: events.k8s.io/v1
        kind: Event
        metadata: {name: web.2}
        regarding: {kind: Pod, name: web, namespace: tables}
        reason: TestedAgain
        note: printed by the tables test too
        type: Normal
        action: Test
        eventTime: "2026-01-01T00:00:00.000000Z"
        reportingController: tables-test
        reportingInstance: tables-test-1
        ---
        apiVersion: v1
        kind: LimitRange
        metadata: {name: limits}
        spec:
          limits: [{type: Container, default: {cpu: 100m}}]
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: quota}
        spec:
          hard: {pods: "10"}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: tables-pv}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          hostPath: {path: /tmp/tables-pv}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: rc}
        spec:
          replicas: 1
          selector: {app: rc}
          template:
            metadata: {labels: {app: rc}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "nginx:1.27"}]}
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: rs}
        spec:
          replicas: 1
          selector: {matchLabels: {app: rs}}
          template:
            metadata: {labels: {app: rs}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              nodeSelector: {kubernetes.io/os: linux}
              containers: [{name: agent, image: busybox}]
        ---
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata: {name: db-1}
        data: {}
        revision: 1
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: perl}]
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 3 * * *"
          suspend: false
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: backup, image: restic}]
        ---
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata: {name: lock}
        spec: {holderIdentity: tables-holder}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-abc}
        addressType: IPv4
        endpoints: [{addresses: [10.42.0.9]}]
        ports: [{port: 80}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: pdb}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: web}}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 5
          metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: readers}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
        subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: tables-reader}
        rules: [{apiGroups: [""], resources: [pods], verbs: [list]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: tables-readers}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: tables-reader}
        subjects: [{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}]
        """;
}

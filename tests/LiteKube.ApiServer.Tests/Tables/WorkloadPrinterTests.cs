using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

/// <summary>ReplicationController, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.</summary>
public sealed class WorkloadPrinterTests
{
    private const string Containers = """[{"name":"web","image":"nginx"}]""";

    [Fact]
    public void Replication_controllers_and_replica_sets_print_desired_current_ready()
    {
        Assert.Equal("NAME | DESIRED | CURRENT | READY | AGE | CONTAINERS (wide) | IMAGES (wide) | SELECTOR (wide)", PrinterColumns.Headers(new ReplicationControllerPrinter()));
        Assert.Equal("NAME | DESIRED | CURRENT | READY | AGE | CONTAINERS (wide) | IMAGES (wide) | SELECTOR (wide)", PrinterColumns.Headers(new ReplicaSetPrinter()));
        var rc = new ObjectBuilder("rc", TimeSpan.FromSeconds(5))
            .Set("spec.replicas", 3).Set("spec.selector", """{"app":"web"}""").Set("spec.template.spec.containers", Containers)
            .Set("status.replicas", 2).Set("status.readyReplicas", 1)
            .PrintWith(new ReplicationControllerPrinter());
        Assert.Equal(["rc", "3", "2", "1", "5s", "web", "nginx", "app=web"], rc);
        var rs = new ObjectBuilder("web-5d8f").Set("spec.replicas", 0).Set("spec.selector", """{"matchLabels":{"app":"web","pod-template-hash":"5d8f"}}""")
            .Set("spec.template.spec.containers", Containers)
            .PrintWith(new ReplicaSetPrinter());
        Assert.Equal(["web-5d8f", "0", "0", "0", "<unknown>", "web", "nginx", "app=web,pod-template-hash=5d8f"], rs);
        Assert.Equal("<none>", new ObjectBuilder("empty").PrintWith(new ReplicaSetPrinter())[7]);
    }

    [Fact]
    public void Stateful_sets_print_ready_over_desired()
    {
        var printer = new StatefulSetPrinter();
        Assert.Equal("NAME | READY | AGE | CONTAINERS (wide) | IMAGES (wide)", PrinterColumns.Headers(printer));
        var cells = new ObjectBuilder("db", TimeSpan.FromMinutes(1)).Set("spec.replicas", 3).Set("status.readyReplicas", 2).Set("spec.template.spec.containers", Containers).PrintWith(printer);
        Assert.Equal(["db", "2/3", "60s", "web", "nginx"], cells);
    }

    [Fact]
    public void Daemon_sets_print_their_counts_and_node_selector()
    {
        var printer = new DaemonSetPrinter();
        Assert.Equal("NAME | DESIRED | CURRENT | READY | UP-TO-DATE | AVAILABLE | NODE SELECTOR | AGE | CONTAINERS (wide) | IMAGES (wide) | SELECTOR (wide)", PrinterColumns.Headers(printer));
        var cells = new ObjectBuilder("agent")
            .Set("spec.selector", """{"matchLabels":{"app":"agent"}}""")
            .Set("spec.template.spec.nodeSelector", """{"kubernetes.io/os":"linux"}""")
            .Set("spec.template.spec.containers", Containers)
            .Set("status", """{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,"updatedNumberScheduled":1,"numberAvailable":2}""")
            .PrintWith(printer);
        Assert.Equal(["agent", "3", "3", "2", "1", "2", "kubernetes.io/os=linux", "<unknown>", "web", "nginx", "app=agent"], cells);
        Assert.Equal("<none>", new ObjectBuilder("x").PrintWith(printer)[6]);
    }

    [Fact]
    public void Controller_revisions_name_their_controller_with_kind_and_group()
    {
        var printer = new ControllerRevisionPrinter();
        Assert.Equal("NAME | CONTROLLER | REVISION | AGE", PrinterColumns.Headers(printer));
        var cells = new ObjectBuilder("db-7c9", TimeSpan.FromSeconds(3))
            .Set("metadata.ownerReferences", """[{"apiVersion":"v1","kind":"Pod","name":"other"},{"apiVersion":"apps/v1","kind":"StatefulSet","name":"db","controller":true}]""")
            .Set("revision", 2)
            .PrintWith(printer);
        Assert.Equal(["db-7c9", "statefulset.apps/db", "2", "3s"], cells);
        var core = new ObjectBuilder("r").Set("metadata.ownerReferences", """[{"apiVersion":"v1","kind":"ReplicationController","name":"rc","controller":true}]""").PrintWith(printer);
        Assert.Equal("replicationcontroller/rc", core[1]);
        Assert.Equal("<none>", new ObjectBuilder("orphan").PrintWith(printer)[1]);
    }
}

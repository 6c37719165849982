using LiteKube.ApiServer.Tables.Printers;

namespace LiteKube.ApiServer.Tests.Tables;

public sealed class NodePrinterTests
{
    private static readonly NodePrinter Printer = new();

    [Fact]
    public void Columns_are_upstreams() =>
        Assert.Equal(
            "NAME | STATUS | ROLES | AGE | VERSION | INTERNAL-IP (wide) | EXTERNAL-IP (wide) | OS-IMAGE (wide) | KERNEL-VERSION (wide) | CONTAINER-RUNTIME (wide)",
            PrinterColumns.Headers(Printer));

    [Fact]
    public void A_ready_cordoned_control_plane_node_prints_roles_version_and_addresses()
    {
        var cells = new ObjectBuilder("n1", TimeSpan.FromDays(3))
            .Set("metadata.labels", """{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/etcd":"true","kubernetes.io/role":"master","node-role.kubernetes.io/":"x","kubernetes.io/hostname":"n1"}""")
            .Set("spec.unschedulable", true)
            .Set("status.conditions", """[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}]""")
            .Set("status.addresses", """[{"type":"Hostname","address":"n1"},{"type":"InternalIP","address":"192.0.2.10"}]""")
            .Set("status.nodeInfo", """{"kubeletVersion":"v1.33.0+litekube","osImage":"Debian GNU/Linux 13","kernelVersion":"6.12.0","containerRuntimeVersion":"containerd://2.0.0"}""")
            .PrintWith(Printer);
        Assert.Equal(
            ["n1", "Ready,SchedulingDisabled", "control-plane,etcd,master", "3d", "v1.33.0+litekube", "192.0.2.10", "<none>", "Debian GNU/Linux 13", "6.12.0", "containerd://2.0.0"],
            cells);
    }

    [Fact]
    public void Without_a_ready_condition_a_node_is_unknown_and_missing_node_info_is_unknown()
    {
        var cells = new ObjectBuilder("n2").PrintWith(Printer);
        Assert.Equal(["n2", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"], cells);
        var notReady = new ObjectBuilder("n3").Set("status.conditions", """[{"type":"Ready","status":"Unknown"}]""").PrintWith(Printer);
        Assert.Equal("NotReady", notReady[1]);
    }
}

using System.Net;
using k8s.Models;
using LiteKube.Agent.Registration;

namespace LiteKube.Agent.Tests.Registration;

public sealed class NodeManifestTests
{
    private static readonly NodeRegistrationOptions Options = new()
    {
        NodeName = "nuc1",
        InternalIp = IPAddress.Parse("127.0.0.5"),
        Version = "v1.33.0+litekube",
    };

    private static readonly MachineFacts Machine = new(4, 8L << 30, 100L << 30, "6.1.0-13-amd64", "Debian GNU/Linux 12 (bookworm)", "arm64", "m-id", "b-id");

    private static readonly DateTime T0 = new(2026, 11, 23, 6, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_new_node_carries_kubelets_labels_capacity_addresses_and_ready_conditions()
    {
        var node = NodeManifest.New(Options, Machine, T0);

        Assert.Equal("nuc1", node.Metadata.Name);
        Assert.Equal("nuc1", node.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.Equal("arm64", node.Metadata.Labels["kubernetes.io/arch"]);
        Assert.Equal("linux", node.Metadata.Labels["kubernetes.io/os"]);
        Assert.Equal("true", node.Metadata.Labels[NodeManifest.ControlPlaneRole]);
        Assert.Equal("4", node.Status.Capacity["cpu"].ToString());
        Assert.Equal("8Gi", node.Status.Capacity["memory"].ToString()); // canonical form of 8388608Ki
        Assert.Equal("110", node.Status.Allocatable["pods"].ToString());
        Assert.Equal(["InternalIP=127.0.0.5", "Hostname=nuc1"], node.Status.Addresses.Select(a => $"{a.Type}={a.Address}"));
        Assert.Equal("v1.33.0+litekube", node.Status.NodeInfo.KubeletVersion);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", node.Status.NodeInfo.OsImage);
        var ready = Assert.Single(node.Status.Conditions, c => c.Type == "Ready");
        Assert.Equal(("True", "KubeletReady", T0), (ready.Status, ready.Reason, ready.LastTransitionTime!.Value));
        Assert.All(node.Status.Conditions.Where(c => c.Type != "Ready"), c => Assert.Equal("False", c.Status));
    }

    [Fact]
    public void A_worker_node_has_no_control_plane_role()
    {
        var node = NodeManifest.New(Options with { ControlPlane = false }, Machine, T0);

        Assert.DoesNotContain(NodeManifest.ControlPlaneRole, node.Metadata.Labels.Keys);
    }

    [Fact]
    public void Labels_a_person_added_stay_and_only_ours_are_corrected()
    {
        var node = NodeManifest.New(Options, Machine, T0);
        node.Metadata.Labels["disktype"] = "ssd";
        Assert.Null(NodeManifest.MissingLabels(node, Options, Machine));

        node.Metadata.Labels.Remove(NodeManifest.ControlPlaneRole);
        node.Metadata.Labels["kubernetes.io/arch"] = "amd64";
        var missing = NodeManifest.MissingLabels(node, Options, Machine);

        Assert.Equal(
            ["kubernetes.io/arch=arm64", $"{NodeManifest.ControlPlaneRole}=true"],
            missing!.Select(l => $"{l.Key}={l.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_later_status_keeps_transition_times_and_moves_heartbeats()
    {
        var first = NodeManifest.Status(Options, Machine, previous: null, T0);
        var later = NodeManifest.Status(Options, Machine, first, T0.AddMinutes(5));

        var ready = later.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(T0, ready.LastTransitionTime);
        Assert.Equal(T0.AddMinutes(5), ready.LastHeartbeatTime);
        Assert.False(NodeManifest.Differs(first, later));
    }

    [Fact]
    public void A_condition_that_changed_gets_a_new_transition_time_and_is_worth_a_write()
    {
        var stored = NodeManifest.Status(Options, Machine, previous: null, T0);
        stored.Conditions.Single(c => c.Type == "Ready").Status = "Unknown"; // as a node controller marks a silent node

        var desired = NodeManifest.Status(Options, Machine, stored, T0.AddSeconds(10));

        Assert.True(NodeManifest.Differs(stored, desired));
        Assert.Equal(T0.AddSeconds(10), desired.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
    }

    [Fact]
    public void A_missing_or_different_status_is_worth_a_write()
    {
        var desired = NodeManifest.Status(Options, Machine, previous: null, T0);

        Assert.True(NodeManifest.Differs(null, desired));
        Assert.True(NodeManifest.Differs(new V1NodeStatus(), desired));
        Assert.True(NodeManifest.Differs(NodeManifest.Status(Options with { InternalIp = IPAddress.Parse("127.0.0.6") }, Machine, null, T0), desired));
        Assert.True(NodeManifest.Differs(NodeManifest.Status(Options, Machine with { Cpus = 2 }, null, T0), desired));
    }

    [Fact]
    public void The_lease_is_held_by_the_node_owned_by_it_and_renewed_in_place()
    {
        var node = NodeManifest.New(Options, Machine, T0);
        node.Metadata.Uid = "uid-1";
        var lease = NodeLeaseManifest.New(Options, node, T0);

        Assert.Equal(("kube-node-lease", "nuc1", "nuc1", 40), (lease.Metadata.NamespaceProperty, lease.Metadata.Name, lease.Spec.HolderIdentity, lease.Spec.LeaseDurationSeconds!.Value));
        var owner = Assert.Single(lease.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Node", "nuc1", "uid-1"), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));

        lease.Spec.LeaseTransitions = 3;
        var renewed = NodeLeaseManifest.Renewed(lease.Spec, Options, T0.AddSeconds(10));
        Assert.Equal((T0.AddSeconds(10), 3), (renewed.RenewTime!.Value, renewed.LeaseTransitions!.Value));
    }

    [Fact]
    public void A_lease_left_by_a_deleted_node_is_taken_over_by_the_node_registered_again()
    {
        var first = NodeManifest.New(Options, Machine, T0);
        first.Metadata.Uid = "uid-1";
        var lease = NodeLeaseManifest.New(Options, first, T0);

        var again = NodeManifest.New(Options, Machine, T0);
        again.Metadata.Uid = "uid-2";
        var renewed = NodeLeaseManifest.Renew(lease, again, Options, T0.AddSeconds(10));

        var owner = Assert.Single(renewed.Metadata.OwnerReferences);
        Assert.Equal(("Node", "nuc1", "uid-2"), (owner.Kind, owner.Name, owner.Uid));
        Assert.Equal(("nuc1", T0.AddSeconds(10)), (renewed.Spec.HolderIdentity, renewed.Spec.RenewTime!.Value));
    }
}

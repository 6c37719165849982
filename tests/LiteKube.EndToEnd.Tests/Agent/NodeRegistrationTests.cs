using System.Text.RegularExpressions;
using LiteKube.EndToEnd.Tests.Kubectl;
using static LiteKube.EndToEnd.Tests.Kubectl.KubectlServerFixture;

namespace LiteKube.EndToEnd.Tests.Agent;

/// <summary>A server registers itself as a Node through its own API, with the node's own
/// credentials, and keeps its Lease in kube-node-lease renewed (the published binary, kubectl).</summary>
public sealed class NodeRegistrationTests(NodeRegistrationTests.Server server) : IClassFixture<NodeRegistrationTests.Server>
{
    public sealed class Server : KubectlServerFixture
    {
        public const string NodeName = "nuc-e2e";

        protected override IReadOnlyList<string> ServerArguments => ["--node-name", NodeName];
    }

    private const int Newest = 33;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Theory]
    [InlineData(27)]
    [InlineData(Newest)]
    public async Task The_server_is_a_ready_control_plane_node(int minor)
    {
        var nodes = await EventuallyAsync(minor, o => o.Contains(Server.NodeName, StringComparison.Ordinal), "get", "nodes", "-o", "wide");

        Assert.Matches($@"\n{Server.NodeName}\s+Ready\s+control-plane\s+\S+\s+v1\.33\.0\+litekube\s+{Regex.Escape(server.Node.Address.ToString())}\s", nodes);
        // Eventually: the Lease is written after the Node in each round, and another test of this
        // class deletes the Node, whose Lease the next round creates again.
        var described = await EventuallyAsync(minor, o => Regex.IsMatch(o, @"\n\s+HolderIdentity:\s+nuc-e2e\n"), "describe", "node", Server.NodeName);
        Assert.Matches(@"\n\s+Ready\s+True\s+.*KubeletReady", described);
    }

    [Fact]
    public async Task The_lease_is_renewed_by_the_node_itself()
    {
        await EventuallyAsync(Newest, o => o.Length > 0, "get", "lease", "-n", "kube-node-lease", Server.NodeName, "-o", "jsonpath={.spec.renewTime}");
        var first = Succeeded(await server.KubectlAsync(Newest, null, "get", "lease", "-n", "kube-node-lease", Server.NodeName, "-o", "jsonpath={.spec.renewTime}"));

        var later = await EventuallyAsync(Newest, o => o != first, "get", "lease", "-n", "kube-node-lease", Server.NodeName, "-o", "jsonpath={.spec.renewTime}");

        Assert.True(DateTime.Parse(later, null, System.Globalization.DateTimeStyles.RoundtripKind) > DateTime.Parse(first, null, System.Globalization.DateTimeStyles.RoundtripKind));
        Assert.Equal("Node/" + Server.NodeName, Succeeded(await server.KubectlAsync(Newest, null,
            "get", "lease", "-n", "kube-node-lease", Server.NodeName, "-o", "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}")));
    }

    [Fact]
    public async Task A_deleted_node_registers_again_and_a_persons_labels_stay()
    {
        await EventuallyAsync(Newest, o => o.Contains(Server.NodeName, StringComparison.Ordinal), "get", "nodes");
        Succeeded(await server.KubectlAsync(Newest, null, "label", "node", Server.NodeName, "disktype=ssd"));
        Succeeded(await server.KubectlAsync(Newest, null, "label", "node", Server.NodeName, "node-role.kubernetes.io/control-plane-"));

        // The next round restores its own label and leaves the person's.
        await EventuallyAsync(Newest, o => o == "true/ssd", "get", "node", Server.NodeName,
            "-o", @"jsonpath={.metadata.labels.node-role\.kubernetes\.io/control-plane}/{.metadata.labels.disktype}");

        Succeeded(await server.KubectlAsync(Newest, null, "delete", "node", Server.NodeName));
        await EventuallyAsync(Newest, o => o.Contains("Ready", StringComparison.Ordinal), "get", "node", Server.NodeName, "--no-headers");

        // The heartbeat belongs to the Node registered again, not to the deleted one.
        var uid = Succeeded(await server.KubectlAsync(Newest, null, "get", "node", Server.NodeName, "-o", "jsonpath={.metadata.uid}"));
        await EventuallyAsync(Newest, o => o == uid, "get", "lease", "-n", "kube-node-lease", Server.NodeName, "-o", "jsonpath={.metadata.ownerReferences[0].uid}");
    }

    /// <summary>Runs kubectl until its output satisfies <paramref name="done"/>: the agent works in
    /// rounds of 10 s, so what it repairs shows up within one round or two.</summary>
    private async Task<string> EventuallyAsync(int minor, Func<string, bool> done, params string[] arguments)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var output = await server.KubectlAsync(minor, null, arguments);
            if (output.ExitCode == 0 && done(output.StandardOutput))
            {
                return output.StandardOutput;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"kubectl {string.Join(' ', arguments)} did not get there within {Patience.TotalSeconds} s; last: {output}");
            }
            await Task.Delay(500);
        }
    }
}

using System.Diagnostics;
using LiteKube.EndToEnd.Tests.Cli;
using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace LiteKube.EndToEnd.Tests.Cluster;

/// <summary>
/// The MicroK8s walk-through of seed 000, step by step, on published litekube processes: grow
/// 1 → 3 nodes with add-node / join (a used token fails, a fresh one works), the datastore
/// becomes highly available by itself, `leave` and `remove-node` shrink it cleanly (3 voters →
/// 1), and a node that left joins again.
/// </summary>
public sealed class MembershipWalkthroughTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Grow_to_three_nodes_and_back_as_the_MicroK8s_walkthrough_does()
    {
        await using var cluster = new ClusterNodes(output);
        var n1 = await cluster.StartFirstAsync("n1");

        // add-node prints a join command; the second node joins with it.
        var join = await ClusterNodes.AddNodeAsync(n1);
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+:25000/[0-9a-f]{32}/[0-9a-f]{32}$", join);
        var n2 = await LiteKubeProcess.StartAsync(cluster.Options("n2", LoopbackAddresses.Allocate()) with { ExtraArguments = ["--node-name", "n2", "--join", join] });
        cluster.Track("n2", n2);
        var two = await ClusterNodes.WaitForRolesAsync(n1, voters: ["n1"], standbys: ["n2"]);
        Assert.False(two.GetProperty("highAvailability").GetBoolean());

        // The same one-time token again: refused, in one line, and nothing is left behind.
        using var refusedData = new TemporaryDirectory();
        var reused = await LiteKubeCommand.RunAsync(["join", join, "--data-dir", refusedData.Combine("data"), "--bind-address", LoopbackAddresses.Allocate().ToString(),
            "--node-name", "n3", "--config", "/dev/null"]);
        CliAssert.OneLineError(reused, 1, "the token is not known to this cluster");
        Assert.False(File.Exists(Path.Combine(refusedData.Combine("data"), "member.json")), "a refused join stores nothing");

        // A fresh token works: three nodes, three voters, highly available.
        var n3 = await cluster.JoinAsync("n3", n1);
        var three = await ClusterNodes.WaitForRolesAsync(n2, voters: ["n1", "n2", "n3"], standbys: []);
        Assert.True(three.GetProperty("highAvailability").GetBoolean());
        Assert.Equal(1, three.GetProperty("failureTolerance").GetInt32());
        var text = await LiteKubeCommand.RunAsync(["status", "--data-dir", n3.DataDirectory]);
        output.WriteLine(text.StandardOutput);
        Assert.Contains("high-availability: yes", text.StandardOutput, StringComparison.Ordinal);

        // One cluster through every API: a write through one server is read through another.
        Assert.Equal(0, (await ClusterNodes.KubectlAsync(n2, "create", "namespace", "grown")).ExitCode);
        Assert.Equal("namespace/grown", (await ClusterNodes.KubectlAsync(n3, "get", "namespace", "grown", "-o", "name")).StandardOutput.Trim());
        await EventuallyAsync(async () => (await ClusterNodes.KubectlAsync(n1, "get", "nodes", "-o", "name")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 3,
            "three Nodes are registered");

        // Every live server's address is an endpoint of the kubernetes Service.
        await EventuallyAsync(async () =>
        {
            var ips = (await ClusterNodes.KubectlAsync(n1, "get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[*].addresses[*].ip}")).StandardOutput;
            return new[] { n1, n2, n3 }.All(n => ips.Split(' ').Contains(n.Address.ToString()));
        }, "the kubernetes endpoints list all three servers");

        // remove-node of a node that did not leave: refused without --force.
        var active = await LiteKubeCommand.RunAsync(["remove-node", "n3", "--data-dir", n1.DataDirectory]);
        CliAssert.OneLineError(active, 1, "n3 is still an active member", "litekube leave");

        // leave on n3: it hands its vote away, stops and wipes its data; its Node stays, NotReady.
        var left = await LiteKubeCommand.RunAsync(["leave", "--data-dir", n3.DataDirectory]);
        Assert.True(left.ExitCode == 0, left.ToString());
        Assert.Equal(0, await n3.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(Directory.Exists(Path.Combine(n3.DataDirectory, "db")), "leave wipes the datastore");
        Assert.False(Directory.Exists(Path.Combine(n3.DataDirectory, "tls")), "leave wipes the credentials");
        var reason = await ClusterNodes.KubectlAsync(n1, "get", "node", "n3", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}");
        Assert.Equal("NodeLeft", reason.StandardOutput.Trim());

        // Two control-plane nodes left: one voter, never two.
        await EventuallyAsync(async () =>
        {
            var status = await ClusterNodes.StatusAsync(n1);
            return ClusterNodes.Names(status, "voters").Length == 1 && ClusterNodes.Names(status, "voters").Concat(ClusterNodes.Names(status, "standbys")).Order().SequenceEqual(["n1", "n2"]);
        }, "one voter and one standby of n1 and n2");

        // remove-node forgets it (Node gone); again is fine; an unknown name is an error.
        var removed = await LiteKubeCommand.RunAsync(["remove-node", "n3", "--data-dir", n1.DataDirectory]);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.NotEqual(0, (await ClusterNodes.KubectlAsync(n2, "get", "node", "n3")).ExitCode);
        Assert.Equal(0, (await LiteKubeCommand.RunAsync(["remove-node", "n3", "--data-dir", n1.DataDirectory])).ExitCode);
        CliAssert.OneLineError(await LiteKubeCommand.RunAsync(["remove-node", "no-such-node", "--data-dir", n1.DataDirectory]), 1, "there is no node named no-such-node");

        // The node that left joins again with a new token, over its wiped data dir.
        var again = await n3.RestartAsync(cluster.Options("n3", n3.Address) with { ExtraArguments = ["--node-name", "n3", "--join", await ClusterNodes.AddNodeAsync(n2)] });
        cluster.Track("n3", again);
        await ClusterNodes.WaitForRolesAsync(n1, voters: ["n1", "n2", "n3"], standbys: []);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"not within 60 s: {what}");
            await Task.Delay(250);
        }
    }
}

using System.Diagnostics;
using LiteKube.EndToEnd.Tests.Infrastructure;
using LiteKube.EndToEnd.Tests.Kubectl;
using Xunit;
using Xunit.Abstractions;

namespace LiteKube.EndToEnd.Tests.Cluster;

/// <summary>
/// Four control-plane nodes (3 voters + 1 standby): kill -9 of the datastore leader's process,
/// kubectl through another server keeps working; after the grace period (30 s) the standby is a
/// voter and the lost one a standby, so a second failure of an original voter still leaves a
/// quorum that accepts writes.
/// </summary>
public sealed class SelfHealingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Four_nodes_survive_the_leader_and_then_a_second_voter_failing()
    {
        await using var cluster = new ClusterNodes(output);
        var n1 = await cluster.StartFirstAsync("n1");
        await cluster.JoinAsync("n2", n1);
        await cluster.JoinAsync("n3", n1);
        await ClusterNodes.WaitForRolesAsync(n1, voters: ["n1", "n2", "n3"], standbys: []);
        await cluster.JoinAsync("n4", n1);
        var status = await ClusterNodes.WaitForRolesAsync(n1, voters: ["n1", "n2", "n3"], standbys: ["n4"]);

        // kill -9 of the leader; time until a write through another server succeeds.
        var leaderName = status.GetProperty("leader").GetString()!;
        await cluster[leaderName].KillAsync();
        var survivors = cluster.Running.ToList();
        var clock = Stopwatch.StartNew();
        while ((await ClusterNodes.KubectlAsync(survivors[0], "create", "configmap", "after-leader-loss")).ExitCode != 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no write succeeded within 30 s of losing the leader");
            await Task.Delay(100);
        }
        output.WriteLine($"failover: first write through another server {clock.Elapsed.TotalSeconds:0.00} s after kill -9 of {leaderName}");
        Assert.Equal("configmap/after-leader-loss",
            (await ClusterNodes.KubectlAsync(survivors[^1], "get", "configmap", "after-leader-loss", "-o", "name")).StandardOutput.Trim());

        // Within the grace period plus a few seconds the standby votes and the lost voter stands by.
        string[] voters = [.. survivors.Select(s => cluster.NameOf(s))];
        await ClusterNodes.WaitForRolesAsync(survivors[0], voters, standbys: [leaderName], patience: TimeSpan.FromSeconds(60));

        // A second original voter fails: two of three voters remain, writes go on.
        var second = survivors.First(s => cluster.NameOf(s) != "n4");
        await second.KillAsync();
        var remaining = cluster.Running.ToList();
        clock.Restart();
        while ((await ClusterNodes.KubectlAsync(remaining[0], "create", "configmap", "after-second-loss")).ExitCode != 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no write succeeded within 30 s of losing a second voter");
            await Task.Delay(100);
        }

        // The first node lost is gone for good: force-removed while dead, it refuses to come back.
        var removed = await LiteKubeCommand.RunAsync(["remove-node", leaderName, "--force", "--data-dir", remaining[0].DataDirectory]);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        // Its credentials are revoked: its admin kubeconfig no longer works against the others. kubectl
        // words a 401 as "You must be logged in to the server (Unauthorized)" when the 401 is a request's,
        // and "(the server has asked for the client to provide credentials)" when discovery got it first
        // (no discovery cache, as on a fresh machine): both begin the same.
        var revoked = await KubectlServerFixture.RunAsync("/usr/bin/kubectl",
            ["--kubeconfig", cluster[leaderName].KubeconfigPath, "--server", remaining[0].ApiEndpoint, "get", "namespaces"], null, null);
        Assert.True(revoked.ExitCode != 0 && revoked.StandardError.Contains("You must be logged in to the server", StringComparison.Ordinal), revoked.ToString());
        var comeback = await LiteKubeCommand.RunAsync(["server", "--data-dir", cluster[leaderName].DataDirectory, "--bind-address", cluster[leaderName].Address.ToString(),
            "--node-name", leaderName, "--config", "/dev/null"], timeout: TimeSpan.FromSeconds(90));
        Assert.True(comeback.ExitCode == 1, comeback.ToString());
        Assert.Contains($"node {leaderName} was removed from this cluster", comeback.StandardError, StringComparison.Ordinal);
    }
}

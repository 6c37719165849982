using System.Net;
using System.Text.Json;
using LiteKube.EndToEnd.Tests.Cli;
using LiteKube.EndToEnd.Tests.Infrastructure;
using LiteKube.EndToEnd.Tests.Kubectl;
using Xunit;
using Xunit.Abstractions;

namespace LiteKube.EndToEnd.Tests.Datastore;

/// <summary>
/// Three published <c>litekube server</c> processes, each on its own 127.0.0.N with the default
/// ports, founding one replicated datastore with <c>--initial-cluster</c>: every member serves
/// etcdctl and kubectl, a write through one is read through another, the members and their
/// leader show in member list and endpoint status, and a kill -9 of the leader leaves a cluster
/// that keeps accepting writes and lets the killed member catch up when it returns.
/// </summary>
public sealed class StaticBootstrapTests(ITestOutputHelper output)
{
    /// <summary>What a founder copies from the first one before it first starts: one cluster CA
    /// and one service-account key for the whole cluster.</summary>
    private static readonly string[] SharedFiles = ["ca.crt", "ca.key", "service-account.key"];

    [Fact]
    public async Task Three_founders_replicate_serve_kubectl_everywhere_and_survive_losing_the_leader()
    {
        await using var cluster = await FoundersAsync(3);
        var (m1, m2, m3) = (cluster[0], cluster[1], cluster[2]);

        Succeeded(await m2.EtcdctlAsync("put", "/bootstrap/a", "from-m2"));
        Assert.Equal("from-m2", Value(await m3.EtcdctlAsync("get", "/bootstrap/a", "--print-value-only")));

        var members = JsonDocument.Parse(Succeeded(await m1.EtcdctlAsync("member", "list", "-w", "json"))).RootElement.GetProperty("members");
        Assert.Equal(["m1", "m2", "m3"], members.EnumerateArray().Select(m => m.GetProperty("name").GetString()).Order());
        Assert.All(members.EnumerateArray(), m => Assert.False(m.TryGetProperty("isLearner", out var learner) && learner.GetBoolean()));
        Assert.All(members.EnumerateArray(), m => Assert.StartsWith("https://127.0.", m.GetProperty("peerURLs")[0].GetString(), StringComparison.Ordinal));

        var leader = await LeaderAsync(cluster);
        Assert.Contains(leader, members.EnumerateArray().Select(m => m.GetProperty("ID").GetUInt64()));

        // Kubernetes through any server: one cluster.
        Succeeded(await KubectlAsync(m1, "create", "namespace", "founded"));
        Assert.Equal("namespace/founded", Value(await KubectlAsync(m3, "get", "namespace", "founded", "-o", "name")));
        var nodes = Value(await KubectlAsync(m2, "get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"));
        Assert.Equal(["m1", "m2", "m3"], nodes.Split(' ').Order());

        // kill -9 of the leader: the others elect a new one and take writes again.
        LiteKubeProcess? victim = null;
        foreach (var member in cluster)
        {
            victim = await MemberIdAsync(member) == leader ? member : victim;
        }
        Assert.NotNull(victim);
        await victim.KillAsync();
        var survivors = cluster.Where(m => m != victim).ToList();
        await EventuallyAsync(async () => (await survivors[0].EtcdctlAsync("put", "/bootstrap/after", "failover")).ExitCode == 0, "a write after the leader was killed");
        Assert.NotEqual(leader, await LeaderAsync(survivors));

        // The killed member returns over its own data and catches up, read locally (serializable).
        var returned = await victim.RestartAsync();
        cluster.Replace(victim, returned);
        await returned.WaitUntilReadyAsync();
        await EventuallyAsync(async () => Value(await returned.EtcdctlAsync("get", "/bootstrap/after", "--print-value-only", "--consistency=s")) == "failover",
            "the returned member has the write made while it was down");
    }

    [Fact]
    public async Task A_server_whose_CA_is_not_the_clusters_is_refused()
    {
        await using var node = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { Output = output });
        Assert.Equal(0, await node.StopAsync());
        Directory.Delete(Path.Combine(node.DataDirectory, "tls"), recursive: true);

        var again = await LiteKubeCommand.RunAsync(["server", "--data-dir", node.DataDirectory, "--bind-address", node.Address.ToString(), "--config", "/dev/null"]);

        CliAssert.OneLineError(again, 1, Path.Combine(node.DataDirectory, "tls", "ca.crt"), "is not the CA of the cluster", "copy tls/ca.crt");
    }

    [Theory]
    [InlineData("m1=127.0.0.1:25000,m2", "'m2' is not name=host:port")]
    [InlineData("m1=127.0.0.1:25000,m1=127.0.0.2:25000", "member m1 is listed twice")]
    [InlineData("m1=127.0.0.1:25000,m2=127.0.0.1:25000", "127.0.0.1:25000 is given to two members")]
    [InlineData("m1=127.0.0.1", "'127.0.0.1' (member m1) is not host:port")]
    [InlineData("m2=127.0.0.2:25000", "no member is named m1")]
    [InlineData("m1=127.0.0.99:25000", "member m1 is at 127.0.0.99:25000, but this node is reached at")]
    public async Task Bad_initial_cluster_is_refused_in_one_line(string initialCluster, string reason)
    {
        using var temporary = new TemporaryDirectory();

        var result = await LiteKubeCommand.RunAsync(["server", "--data-dir", temporary.Combine("data"), "--bind-address", LoopbackAddresses.Allocate().ToString(),
            "--config", "/dev/null", "--node-name", "m1", "--initial-cluster", initialCluster]);

        CliAssert.OneLineError(result, 1, "--initial-cluster", reason);
        Assert.False(Directory.Exists(Path.Combine(temporary.Combine("data"), "db")), "nothing is created for a refused start");
    }

    [Fact]
    public async Task Initial_cluster_with_an_external_datastore_is_refused()
    {
        var result = await LiteKubeCommand.RunAsync(["server", "--config", "/dev/null", "--node-name", "m1",
            "--initial-cluster", "m1=127.0.0.1:25000", "--datastore-endpoint", "http://127.0.0.1:2379"]);

        CliAssert.OneLineError(result, 1, "--initial-cluster", "does not run with --datastore-endpoint");
    }

    /// <summary>Starts <paramref name="count"/> founders m1..mN: the first creates the cluster CA,
    /// the others get a copy before their first start (the documented static bootstrap).</summary>
    private async Task<Founders> FoundersAsync(int count)
    {
        var addresses = Enumerable.Range(0, count).Select(_ => LoopbackAddresses.Allocate()).ToList();
        var initial = string.Join(',', addresses.Select((a, i) => $"m{i + 1}={a}:{LiteKubeProcess.ClusterPort}"));
        var founders = new Founders();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var options = new LiteKubeProcessOptions
                {
                    Address = addresses[i],
                    ExtraArguments = ["--node-name", $"m{i + 1}", "--initial-cluster", initial],
                    WaitForReady = false,
                    Output = output,
                };
                if (i == 0)
                {
                    founders.Add(await LiteKubeProcess.StartAsync(options));
                    await EventuallyAsync(() => Task.FromResult(SharedFiles.All(f => File.Exists(Path.Combine(founders[0].DataDirectory, "tls", f)))), "m1 created the cluster CA");
                    continue;
                }

                var data = founders.NewDirectory();
                Directory.CreateDirectory(Path.Combine(data, "tls"));
                foreach (var file in SharedFiles)
                {
                    File.Copy(Path.Combine(founders[0].DataDirectory, "tls", file), Path.Combine(data, "tls", file));
                }
                founders.Add(await LiteKubeProcess.StartAsync(options with { DataDirectory = data }));
            }

            foreach (var founder in founders)
            {
                await founder.WaitUntilReadyAsync();
            }
            return founders;
        }
        catch
        {
            await founders.DisposeAsync();
            throw;
        }
    }

    private static async Task<ulong> LeaderAsync(IEnumerable<LiteKubeProcess> members)
    {
        ulong leader = 0;
        await EventuallyAsync(async () =>
        {
            var leaders = new HashSet<ulong>();
            foreach (var member in members)
            {
                var status = await member.EtcdctlAsync("endpoint", "status", "-w", "json");
                if (status.ExitCode != 0)
                {
                    return false;
                }
                leaders.Add(JsonDocument.Parse(status.StandardOutput).RootElement[0].GetProperty("Status").GetProperty("leader").GetUInt64());
            }
            leader = leaders.Count == 1 ? leaders.Single() : 0;
            return leader != 0;
        }, "every member names the same leader");
        return leader;
    }

    private static async Task<ulong> MemberIdAsync(LiteKubeProcess member)
    {
        var status = await member.EtcdctlAsync("endpoint", "status", "-w", "json");
        return JsonDocument.Parse(Succeeded(status)).RootElement[0].GetProperty("Status").GetProperty("header").GetProperty("member_id").GetUInt64();
    }

    private static Task<ProcessOutput> KubectlAsync(LiteKubeProcess server, params string[] arguments) =>
        KubectlServerFixture.RunAsync("/usr/bin/kubectl", ["--kubeconfig", server.KubeconfigPath, .. arguments], null, null);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 30 s: {what}");
            await Task.Delay(200);
        }
    }

    private static string Succeeded(ProcessOutput result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput;
    }

    private static string Value(ProcessOutput result) => Succeeded(result).Trim();

    /// <summary>The running founders; disposing stops every one (kill) and removes their data.</summary>
    private sealed class Founders : List<LiteKubeProcess>, IAsyncDisposable
    {
        private readonly List<string> directories = [];

        public void Replace(LiteKubeProcess old, LiteKubeProcess replacement) => this[IndexOf(old)] = replacement;

        /// <summary>A data directory the test prepares itself (the process does not own it).</summary>
        public string NewDirectory()
        {
            var root = Path.Combine(Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N"));
            directories.Add(root);
            return Path.Combine(root, "data");
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var member in this)
            {
                await member.DisposeAsync();
            }
            foreach (var directory in directories.Where(Directory.Exists))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}

using System.Net;
using System.Text.Json;
using LiteKube.EndToEnd.Tests.Infrastructure;
using LiteKube.EndToEnd.Tests.Kubectl;
using Xunit;
using Xunit.Abstractions;

namespace LiteKube.EndToEnd.Tests.Cluster;

/// <summary>
/// Servers grown into one cluster the way a person does it: the first starts alone, every
/// further one joins with the command <c>litekube add-node</c> printed on a running one. Each
/// node its own 127.0.0.N, default ports, own data dir. Disposing kills them all.
/// </summary>
public sealed class ClusterNodes(ITestOutputHelper output) : IAsyncDisposable
{
    private readonly Dictionary<string, LiteKubeProcess> nodes = [];

    public LiteKubeProcess this[string name] => nodes[name];

    public IEnumerable<LiteKubeProcess> Running => nodes.Values.Where(n => !n.HasExited);

    public async Task<LiteKubeProcess> StartFirstAsync(string name)
    {
        var node = await LiteKubeProcess.StartAsync(Options(name, LoopbackAddresses.Allocate()));
        nodes[name] = node;
        return node;
    }

    /// <summary>A fresh join command from <paramref name="on"/>.</summary>
    public static async Task<string> AddNodeAsync(LiteKubeProcess on, params string[] arguments)
    {
        var result = await LiteKubeCommand.RunAsync(["add-node", "--data-dir", on.DataDirectory, .. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var command = result.StandardOutput.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("litekube join ", StringComparison.Ordinal));
        return command["litekube join ".Length..];
    }

    /// <summary>Joins a new node <paramref name="name"/> with a token from <paramref name="via"/> and waits until it serves.</summary>
    public async Task<LiteKubeProcess> JoinAsync(string name, LiteKubeProcess via, IPAddress? address = null)
    {
        var join = await AddNodeAsync(via);
        var node = await LiteKubeProcess.StartAsync(Options(name, address ?? LoopbackAddresses.Allocate()) with { ExtraArguments = ["--node-name", name, "--join", join] });
        nodes[name] = node;
        return node;
    }

    public void Track(string name, LiteKubeProcess node) => nodes[name] = node;

    public string NameOf(LiteKubeProcess node) => nodes.Single(n => n.Value == node).Key;

    public LiteKubeProcessOptions Options(string name, IPAddress address) => new()
    {
        Address = address,
        ExtraArguments = ["--node-name", name],
        Output = output,
        ReadyTimeout = TimeSpan.FromSeconds(90),
    };

    public static async Task<JsonElement> StatusAsync(LiteKubeProcess on)
    {
        var result = await LiteKubeCommand.RunAsync(["status", "--data-dir", on.DataDirectory, "--format", "json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    public static string[] Names(JsonElement status, string role) =>
        [.. status.GetProperty(role).EnumerateArray().Select(m => m.GetProperty("name").GetString()!).Order()];

    /// <summary>Waits until <paramref name="on"/>'s status shows these voters and standbys.</summary>
    public static async Task<JsonElement> WaitForRolesAsync(LiteKubeProcess on, string[] voters, string[] standbys, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        JsonElement status = default;
        while (DateTime.UtcNow < deadline)
        {
            status = await StatusAsync(on);
            if (Names(status, "voters").SequenceEqual(voters.Order()) && Names(status, "standbys").SequenceEqual(standbys.Order()))
            {
                return status;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"voters {string.Join(',', voters)} and standbys {string.Join(',', standbys)} not reached; last status: {status}");
        return status;
    }

    public static Task<ProcessOutput> KubectlAsync(LiteKubeProcess server, params string[] arguments) =>
        KubectlServerFixture.RunAsync("/usr/bin/kubectl", ["--kubeconfig", server.KubeconfigPath, .. arguments], null, null);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes.Values)
        {
            await node.DisposeAsync();
        }
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using LiteKube.EndToEnd.Tests.Infrastructure;

namespace LiteKube.EndToEnd.Tests.Etcdctl;

/// <summary>
/// One <c>litekube server</c> (the published binary) shared by the etcdctl tests of the
/// "etcdctl" collection, which run one after another. Each test writes under its own key prefix
/// and only reads revisions it wrote itself, so a compaction by another test cannot reach it.
/// </summary>
public sealed class EtcdctlNode : IAsyncLifetime
{
    private LiteKubeProcess? _node;

    public LiteKubeProcess Node => _node ?? throw new InvalidOperationException("the node is not started");

    public async Task InitializeAsync() => _node = await LiteKubeProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    /// <summary>Runs etcdctl and asserts it exited 0.</summary>
    public async Task<ProcessOutput> RunAsync(params string[] arguments)
    {
        var output = await Node.EtcdctlAsync(arguments);
        Assert.True(output.ExitCode == 0, $"etcdctl {string.Join(' ', arguments)}: {output}\n{Node.Describe()}");
        return output;
    }

    /// <summary>Runs etcdctl and asserts it failed with <paramref name="exitCode"/> and that its last
    /// stderr line (after the client library's JSON warnings) is <paramref name="lastErrorLine"/>.</summary>
    public async Task<ProcessOutput> FailAsync(int exitCode, string lastErrorLine, params string[] arguments)
    {
        var output = await Node.EtcdctlAsync(arguments);
        Assert.True(output.ExitCode == exitCode, $"etcdctl {string.Join(' ', arguments)}: expected exit code {exitCode}\n{output}");
        Assert.True(output.StandardErrorLines.Length > 0 && output.StandardErrorLines[^1] == lastErrorLine,
            $"etcdctl {string.Join(' ', arguments)}: expected the last stderr line '{lastErrorLine}'\n{output}");
        return output;
    }

    /// <summary>The store's current revision (the header of a JSON get).</summary>
    public async Task<long> RevisionAsync()
    {
        var output = await RunAsync("get", "/", "-w", "json");
        return JsonDocument.Parse(output.StandardOutput).RootElement.GetProperty("header").GetProperty("revision").GetInt64();
    }

    /// <summary>Grants a lease and returns its id as etcdctl prints it (hex).</summary>
    public async Task<string> GrantLeaseAsync(int ttlSeconds)
    {
        var output = await RunAsync("lease", "grant", ttlSeconds.ToString());
        var match = Regex.Match(output.StandardOutput, $@"^lease ([0-9a-f]+) granted with TTL\({ttlSeconds}s\)\n$");
        Assert.True(match.Success, $"unexpected lease grant output: {output}");
        return match.Groups[1].Value;
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdctlCollection : ICollectionFixture<EtcdctlNode>
{
    public const string Name = "etcdctl";
}

using LiteKube.EndToEnd.Tests.Cli;
using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cluster;

/// <summary>Bad joins and misuse of the membership verbs: each fails in one line with a
/// non-zero exit, and nothing is stored or changed.</summary>
public sealed class JoinErrorTests(JoinErrorTests.TwoClusters clusters) : IClassFixture<JoinErrorTests.TwoClusters>
{
    /// <summary>Two unrelated single-node clusters, A and B.</summary>
    public sealed class TwoClusters : IAsyncLifetime
    {
        public LiteKubeProcess A { get; private set; } = null!;

        public LiteKubeProcess B { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var started = await Task.WhenAll(
                LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { ExtraArguments = ["--node-name", "a1"] }),
                LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { ExtraArguments = ["--node-name", "b1"] }));
            (A, B) = (started[0], started[1]);
        }

        public async Task DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    private static async Task<(ProcessOutput Result, string DataDirectory)> JoinAsync(string join, string? extraFlag = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N"), "data");
        var result = await LiteKubeCommand.RunAsync(["join", join, "--data-dir", data, "--bind-address", LoopbackAddresses.Allocate().ToString(),
            "--node-name", "joiner", "--config", "/dev/null", .. extraFlag is null ? Array.Empty<string>() : [extraFlag]]);
        return (result, data);
    }

    private static void NothingStored(string dataDirectory)
    {
        Assert.False(File.Exists(Path.Combine(dataDirectory, "member.json")), "a refused join stores no member identity");
        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "db")), "a refused join creates no datastore");
    }

    [Theory]
    [InlineData("nonsense", "is not HOST:PORT/TOKEN/CAHASH")]
    [InlineData("127.0.0.1:25000/xyz/0123456789abcdef0123456789abcdef", "token in the join string must be 32 hex digits")]
    [InlineData("127.0.0.1:99999/0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef", "is not a port number")]
    public async Task A_malformed_join_string_is_refused(string join, string reason)
    {
        var (result, data) = await JoinAsync(join);
        CliAssert.OneLineError(result, 1, "--join", reason);
        NothingStored(data);
    }

    [Fact]
    public async Task A_join_to_an_address_where_nothing_listens_fails_quickly()
    {
        var nobody = LoopbackAddresses.Allocate();
        var (result, data) = await JoinAsync($"{nobody}:25000/0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef");
        CliAssert.OneLineError(result, 1, $"cannot reach the cluster port at {nobody}:25000", "connection refused");
        NothingStored(data);
    }

    [Fact]
    public async Task A_server_whose_CA_is_not_the_pinned_one_is_refused()
    {
        var joinA = await ClusterNodes.AddNodeAsync(clusters.A);
        var hashB = (await ClusterNodes.AddNodeAsync(clusters.B)).Split('/')[2];
        var parts = joinA.Split('/');

        var (result, data) = await JoinAsync($"{parts[0]}/{parts[1]}/{hashB}");

        CliAssert.OneLineError(result, 1, "not the CA pinned by the join string", hashB);
        NothingStored(data);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var join = await ClusterNodes.AddNodeAsync(clusters.A, "--ttl", "1s");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var (result, data) = await JoinAsync(join);

        CliAssert.OneLineError(result, 1, "the token has expired");
        NothingStored(data);
    }

    [Fact]
    public async Task A_worker_token_cannot_add_a_control_plane_node()
    {
        var join = await ClusterNodes.AddNodeAsync(clusters.A, "--worker");
        var (result, data) = await JoinAsync(join.Replace(" --worker", "", StringComparison.Ordinal));
        CliAssert.OneLineError(result, 1, "the token is for worker nodes");
        NothingStored(data);
    }

    [Theory]
    [InlineData("--ttl", "soon", "--ttl: 'soon' is not a duration")]
    [InlineData("--format", "xml", "xml")]
    public async Task Bad_add_node_options_are_refused(string option, string value, string reason)
    {
        var result = await LiteKubeCommand.RunAsync(["add-node", "--data-dir", clusters.A.DataDirectory, option, value]);
        CliAssert.OneLineError(result, result.ExitCode == 2 ? 2 : 1, reason);
    }

    [Fact]
    public async Task Leaving_the_only_voter_is_refused_without_force()
    {
        var result = await LiteKubeCommand.RunAsync(["leave", "--data-dir", clusters.B.DataDirectory]);

        CliAssert.OneLineError(result, 1, "only datastore voter", "would destroy the cluster", "--force");
        Assert.False(clusters.B.HasExited, "a refused leave leaves the server running");
        Assert.Equal(0, (await ClusterNodes.KubectlAsync(clusters.B, "get", "namespace", "default")).ExitCode);
    }

    [Fact]
    public async Task Verbs_say_when_no_server_runs_on_the_data_dir()
    {
        using var empty = new TemporaryDirectory();
        var status = await LiteKubeCommand.RunAsync(["status", "--data-dir", empty.Path]);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("litekube is not running", status.StandardOutput, StringComparison.Ordinal);
        CliAssert.OneLineError(await LiteKubeCommand.RunAsync(["add-node", "--data-dir", empty.Path]), 1, "no litekube server is running with data dir");
    }

    [Fact]
    public async Task Two_joins_racing_with_one_token_exactly_one_wins()
    {
        var join = await ClusterNodes.AddNodeAsync(clusters.A);
        var racers = new[] { "racer-1", "racer-2" }.Select(name => LiteKubeProcess.StartAsync(new LiteKubeProcessOptions
        {
            ExtraArguments = ["--node-name", name, "--join", join],
            WaitForReady = false,
        })).ToList();
        var processes = await Task.WhenAll(racers);
        try
        {
            var outcomes = await Task.WhenAll(processes.Select(async p =>
            {
                try
                {
                    await p.WaitUntilReadyAsync();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false; // exited: refused
                }
            }));
            Assert.Equal(1, outcomes.Count(ok => ok));
            var loser = processes[Array.IndexOf(outcomes, false)];
            Assert.Matches("another node is joining with this one-time token|the token is not known", loser.StandardError);
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }
}

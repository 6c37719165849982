using System.Xml.Linq;
using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

public sealed class UsageTests
{
    [Fact]
    public async Task Help_lists_only_the_verbs_that_work()
    {
        var output = await LiteKubeCommand.RunAsync(["--help"]);

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("server", output.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("etcd-snapshot", output.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("kubectl", output.StandardOutput, StringComparison.Ordinal);
        foreach (var verb in new[] { "join", "add-node", "leave", "status", "remove-node" })
        {
            Assert.Contains($"  {verb} ", output.StandardOutput, StringComparison.Ordinal);
        }

        // The worker agent comes with the node-agent issue; until then it is absent.
        Assert.DoesNotContain("  agent ", output.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(output.StandardError);
    }

    [Fact]
    public async Task No_verb_shows_the_help()
    {
        var output = await LiteKubeCommand.RunAsync([]);

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("Usage:", output.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("server", output.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_help_lists_every_server_flag_with_its_environment_variable()
    {
        var output = await LiteKubeCommand.RunAsync(["server", "--help"]);

        Assert.True(output.ExitCode == 0, output.ToString());
        foreach (var name in new[] { "data-dir", "node-name", "bind-address", "advertise-address", "etcd-port", "api-port", "cluster-port", "initial-cluster", "join", "voters", "service-cidr", "token-auth-file", "config" })
        {
            Assert.Contains("--" + name, output.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("LITEKUBE_" + name.ToUpperInvariant().Replace('-', '_'), output.StandardOutput, StringComparison.Ordinal);
        }
        // Ports of components that do not exist yet must not be offered.
        Assert.DoesNotContain("--agent-port", output.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version_the_project_is_built_as()
    {
        var props = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));
        var version = props.Descendants("Version").Single().Value;

        var output = await LiteKubeCommand.RunAsync(["--version"]);

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.StartsWith($"litekube version v{version}", output.StandardOutput.Trim(), StringComparison.Ordinal);
        Assert.Single(output.StandardOutput.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("server", "--no-such-flag")]
    [InlineData("server", "--data-dir")]
    [InlineData("server", "extra-argument")]
    public async Task Bad_command_line_is_one_line_on_stderr_and_exit_code_2(params string[] arguments)
    {
        var output = await LiteKubeCommand.RunAsync(arguments);

        CliAssert.OneLineError(output, 2, arguments[^1], "--help");
        Assert.Empty(output.StandardOutput);
    }

    [Fact]
    public async Task Unknown_verb_is_one_line_on_stderr_and_exit_code_2()
    {
        var output = await LiteKubeCommand.RunAsync(["frobnicate", "now"]);

        CliAssert.OneLineError(output, 2, "'frobnicate'", "litekube --help");
    }

    [Theory]
    [InlineData("--etcd-port", "abc", "not a port number")]
    [InlineData("--etcd-port", "0", "not a port number")]
    [InlineData("--etcd-port", "70000", "not a port number")]
    [InlineData("--bind-address", "300.1.2.3", "not an IP address")]
    [InlineData("--bind-address", "localhost", "not an IP address")]
    [InlineData("--advertise-address", "0.0.0.0", "cannot be advertised")]
    [InlineData("--node-name", "Not_A_Name", "not a valid node name")]
    [InlineData("--data-dir", "", "must be a directory path")]
    public async Task Bad_flag_value_is_one_line_naming_the_flag(string flag, string value, string problem)
    {
        var output = await LiteKubeCommand.RunAsync(["server", flag, value, "--config", "/dev/null"]);

        CliAssert.OneLineError(output, 1, flag, problem);
    }

    [Fact]
    public async Task Bad_environment_value_is_one_line_naming_the_variable()
    {
        var output = await LiteKubeCommand.RunAsync(["server", "--config", "/dev/null"],
            new Dictionary<string, string> { ["LITEKUBE_ETCD_PORT"] = "twenty" });

        CliAssert.OneLineError(output, 1, "LITEKUBE_ETCD_PORT", "'twenty'", "not a port number");
    }
}

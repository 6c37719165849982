using System.Net.Sockets;
using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary>Settings come from flags, then LITEKUBE_* variables, then the YAML file.</summary>
public sealed class ConfigurationTests
{
    private const string FilePort = "2401";
    private const string EnvironmentPort = "2402";
    private const string FlagPort = "2403";

    [Theory]
    [InlineData(false, false, FilePort)]
    [InlineData(true, false, EnvironmentPort)]
    [InlineData(true, true, FlagPort)]
    [InlineData(false, true, FlagPort)]
    public async Task Flag_wins_over_environment_which_wins_over_file(bool withEnvironment, bool withFlag, string expectedPort)
    {
        var environment = new Dictionary<string, string>();
        if (withEnvironment)
        {
            environment["LITEKUBE_ETCD_PORT"] = EnvironmentPort;
        }
        await using var node = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions
        {
            ConfigYaml = $"# litekube settings\netcd-port: {FilePort}\nnode-name: from-file\n",
            Environment = environment,
            ExtraArguments = withFlag ? ["--etcd-port", FlagPort] : [],
        });

        Assert.Contains($"etcd API on http://{node.Address}:{expectedPort},", node.StandardOutput, StringComparison.Ordinal);
        using var client = new TcpClient();
        await client.ConnectAsync(node.Address, int.Parse(expectedPort, System.Globalization.CultureInfo.InvariantCulture));
        // The file's other key still applies: sources merge per setting, not as a whole.
        Assert.Contains("node from-file,", node.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_name_from_the_environment_is_the_member_name_etcdctl_sees()
    {
        await using var node = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions
        {
            Environment = new Dictionary<string, string> { ["LITEKUBE_NODE_NAME"] = "env-node" },
        });

        var members = await node.EtcdctlAsync("member", "list");

        Assert.True(members.ExitCode == 0, members.ToString());
        Assert.Contains("env-node", members.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(node.EtcdEndpoint, members.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("etcd-prot: 2401\n", "line 1", "unknown setting 'etcd-prot'")]
    [InlineData("data-dir: /tmp/x\nconfig: /etc/other.yaml\n", "line 2", "unknown setting 'config'")]
    [InlineData("etcd-port: [2401, 2402]\n", "line 1", "'etcd-port' must be a single value")]
    [InlineData("etcd-port: 99999\n", "etcd-port", "not a port number")]
    [InlineData("- data-dir\n- etcd-port\n", "line 1", "expected a mapping")]
    [InlineData("data-dir: [unclosed\n", "line 2", "did not find expected")]
    [InlineData("etcd-port: 2401\netcd-port: 2402\n", "line 2", "Duplicate key etcd-port")]
    [InlineData("voters: 4\n", "voters", "'4' is not a number of datastore voters; use 3 or 5")]
    [InlineData("join: nonsense\n", "join", "is not HOST:PORT/TOKEN/CAHASH")]
    public async Task Bad_config_file_is_one_line_naming_the_file(string yaml, string where, string problem)
    {
        using var temporary = new TemporaryDirectory();
        var config = temporary.Combine("config.yaml");
        await File.WriteAllTextAsync(config, yaml);

        var output = await LiteKubeCommand.RunAsync(["server", "--config", config, "--data-dir", temporary.Combine("data")]);

        CliAssert.OneLineError(output, 1, config, where, problem);
    }

    [Fact]
    public async Task Config_path_that_is_a_directory_is_refused()
    {
        using var temporary = new TemporaryDirectory();

        var output = await LiteKubeCommand.RunAsync(["server", "--config", temporary.Path, "--data-dir", temporary.Combine("data")]);

        CliAssert.OneLineError(output, 1, "--config", temporary.Path, "is a directory");
    }

    [Fact]
    public async Task Missing_config_file_given_explicitly_is_refused()
    {
        using var temporary = new TemporaryDirectory();
        var missing = temporary.Combine("nope.yaml");

        var output = await LiteKubeCommand.RunAsync(["server", "--data-dir", temporary.Combine("data")],
            new Dictionary<string, string> { ["LITEKUBE_CONFIG"] = missing });

        CliAssert.OneLineError(output, 1, "LITEKUBE_CONFIG", missing, "does not exist");
    }
}

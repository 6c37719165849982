using LiteKube.EndToEnd.Tests.Cli;
using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Install;

/// <summary>install.sh and the litekube-uninstall.sh it writes, run under a temporary prefix.
/// The tests that build (dotnet publish inside install.sh) are slow; they share this class so
/// that two builds never run at once.</summary>
public sealed class InstallTests
{
    [Theory]
    [InlineData("install.sh")]
    [InlineData("install/litekube-uninstall.sh")]
    [InlineData("install/litekube-service.sh")]
    public async Task Scripts_are_valid_posix_sh(string script)
    {
        var output = await InstallScript.RunAsync("sh", ["-n", Path.Combine(RepositoryRoot.Path, script)], new Dictionary<string, string>());

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Empty(output.StandardError);
    }

    [Theory]
    [InlineData("INSTALL_LITEKUBE_SKIP_START", "maybe", "INSTALL_LITEKUBE_SKIP_START must be true or false")]
    [InlineData("INSTALL_LITEKUBE_READY_TIMEOUT", "soon", "INSTALL_LITEKUBE_READY_TIMEOUT must be a number")]
    [InlineData("INSTALL_LITEKUBE_EXEC", "--node-name $(reboot)", "INSTALL_LITEKUBE_EXEC may not contain")]
    [InlineData("INSTALL_LITEKUBE_ROOT", "relative/dir", "INSTALL_LITEKUBE_ROOT must be an absolute path")]
    [InlineData("LITEKUBE_DATA_DIR", "relative/data", "install paths must be absolute, not 'relative/data'")]
    [InlineData("INSTALL_LITEKUBE_BIN_DIR", "/tmp/it's", "install paths may not contain quotes")]
    [InlineData("LITEKUBE_URL", "127.0.0.1:25000", "LITEKUBE_URL and LITEKUBE_TOKEN go together")]
    [InlineData("LITEKUBE_TOKEN", "0123456789abcdef0123456789abcdef/0123456789abcdef0123456789abcdef", "LITEKUBE_URL and LITEKUBE_TOKEN go together")]
    public async Task Bad_installer_setting_fails_before_anything_is_installed(string name, string value, string message)
    {
        await using var install = new InstallScript();

        var output = await install.InstallAsync(new Dictionary<string, string> { [name] = value });

        Assert.True(output.ExitCode != 0, output.ToString());
        Assert.Contains(message, output.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(install.BinaryPath));
        Assert.Empty(Directory.GetFileSystemEntries(install.Root));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Skip_start_installs_binary_unit_and_uninstaller_and_uninstall_removes_them()
    {
        await using var install = new InstallScript();
        install.BinDirectory = Path.Combine(install.Root, "opt", "litekube", "bin");
        install.DataDirectory = Path.Combine(install.Root, "srv", "litekube data");

        var output = await install.InstallAsync(new Dictionary<string, string>
        {
            ["INSTALL_LITEKUBE_SKIP_START"] = "true",
            ["INSTALL_LITEKUBE_EXEC"] = "server --node-name edge-1",
            ["INSTALL_LITEKUBE_BIN_DIR"] = install.BinDirectory,
            ["LITEKUBE_DATA_DIR"] = install.DataDirectory,
        });

        Assert.True(output.ExitCode == 0, output.ToString());
        var version = await LiteKubeCommand.RunAsync(["--version"], binary: install.BinaryPath);
        Assert.StartsWith("litekube version v", version.StandardOutput, StringComparison.Ordinal);
        var unit = await File.ReadAllTextAsync(install.UnitPath);
        Assert.Contains($"ExecStart=\"{install.BinaryPath}\" server --data-dir \"{install.DataDirectory}\" --config \"{install.ConfigPath}\" --node-name edge-1", unit, StringComparison.Ordinal);
        Assert.DoesNotContain("@", unit, StringComparison.Ordinal);
        Assert.True(File.Exists(install.ConfigPath));
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(install.UninstallPath).HasFlag(UnixFileMode.UserExecute));
        Assert.Null(install.RunningServerPid());
        Assert.False(File.Exists(install.PidFile));

        var uninstall = await install.UninstallAsync(deleteData: false);

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(File.Exists(install.BinaryPath));
        Assert.False(File.Exists(install.UnitPath));
        Assert.False(File.Exists(install.UninstallPath));
        Assert.False(Directory.Exists(Path.GetDirectoryName(install.ConfigPath)));
        Assert.True(Directory.Exists(install.DataDirectory), "data is kept unless LITEKUBE_UNINSTALL_DATA=1");
        Assert.Contains($"Kept data in {install.DataDirectory} (run with LITEKUBE_UNINSTALL_DATA=1", uninstall.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Install_starts_the_server_in_the_background_reinstall_keeps_the_data_and_uninstall_stops_it()
    {
        await using var install = new InstallScript();
        var address = LoopbackAddresses.Allocate();
        var endpoint = $"http://{address}:{LiteKubeProcess.EtcdPort}";

        var output = await install.InstallAsync(new Dictionary<string, string> { ["INSTALL_LITEKUBE_EXEC"] = $"--bind-address {address}" });

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains($"litekube server ready: etcd API on {endpoint}", output.StandardOutput, StringComparison.Ordinal);
        var pid = install.RunningServerPid();
        Assert.NotNull(pid);
        Assert.Contains(LiteKubeProcess.ReadyMarker, await File.ReadAllTextAsync(install.LogFile), StringComparison.Ordinal);
        var put = await EtcdctlProgram.RunAsync(endpoint, null, ["put", "/installed", "yes"]);
        Assert.True(put.ExitCode == 0, put.ToString());

        // Running the installer again is an upgrade: a new process on the same data.
        var again = await install.InstallAsync(new Dictionary<string, string> { ["INSTALL_LITEKUBE_EXEC"] = $"--bind-address {address}" });
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"Stopping the running litekube (pid {pid})", again.StandardOutput, StringComparison.Ordinal);
        var upgradedPid = install.RunningServerPid();
        Assert.NotNull(upgradedPid);
        Assert.NotEqual(pid, upgradedPid);
        Assert.False(IsAlive(pid.Value), "the old server must be stopped");
        var get = await EtcdctlProgram.RunAsync(endpoint, null, ["get", "/installed", "--print-value-only"]);
        Assert.Equal("yes", get.StandardOutput.Trim());

        var uninstall = await install.UninstallAsync(deleteData: true);

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Contains($"Stopping the running litekube (pid {upgradedPid})", uninstall.StandardOutput, StringComparison.Ordinal);
        Assert.False(IsAlive(upgradedPid.Value), "the server must be stopped");
        Assert.False(File.Exists(install.PidFile));
        Assert.False(Directory.Exists(install.DataDirectory));
        Assert.False(File.Exists(install.BinaryPath));
        Assert.True(LoopbackAddresses.IsFree(address, LiteKubeProcess.EtcdPort));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Install_with_LITEKUBE_URL_and_LITEKUBE_TOKEN_joins_the_cluster_of_the_server_there()
    {
        await using var first = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { ExtraArguments = ["--node-name", "first"] });
        var join = await Cluster.ClusterNodes.AddNodeAsync(first);
        var slash = join.IndexOf('/', StringComparison.Ordinal);
        await using var install = new InstallScript();

        var output = await install.InstallAsync(new Dictionary<string, string>
        {
            ["INSTALL_LITEKUBE_EXEC"] = $"--bind-address {LoopbackAddresses.Allocate()} --node-name second",
            ["LITEKUBE_URL"] = join[..slash],
            ["LITEKUBE_TOKEN"] = join[(slash + 1)..],
        });

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("joined the cluster at", await File.ReadAllTextAsync(install.LogFile), StringComparison.Ordinal);
        await Cluster.ClusterNodes.WaitForRolesAsync(first, voters: ["first"], standbys: ["second"]);
        var uninstall = await install.UninstallAsync(deleteData: true);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Join_with_an_installed_service_puts_the_join_in_its_config_restarts_it_and_follows_the_node_until_it_has_joined()
    {
        await using var first = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { ExtraArguments = ["--node-name", "first"] });
        await using var install = new InstallScript();
        var installed = await install.InstallAsync(new Dictionary<string, string>
        {
            ["INSTALL_LITEKUBE_EXEC"] = $"--bind-address {LoopbackAddresses.Allocate()} --node-name serviced",
            ["INSTALL_LITEKUBE_SKIP_START"] = "true",
        });
        Assert.True(installed.ExitCode == 0, installed.ToString());
        var join = await Cluster.ClusterNodes.AddNodeAsync(first);

        var malformed = await LiteKubeCommand.RunAsync(["join", "127.0.0.1:25000/not-a-token"], binary: install.BinaryPath);
        CliAssert.OneLineError(malformed, 1, "join string");
        var flags = await LiteKubeCommand.RunAsync(["join", join, "--node-name", "other"], binary: install.BinaryPath);
        CliAssert.OneLineError(flags, 1, "--node-name", "put server settings in its config file");
        Assert.Null(install.RunningServerPid());

        var joined = await LiteKubeCommand.RunAsync(["join", join], binary: install.BinaryPath, timeout: TimeSpan.FromMinutes(4));

        Assert.True(joined.ExitCode == 0, joined.ToString());
        Assert.Contains($"Added the join to {install.ConfigPath}; restarting the litekube service", joined.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Node serviced serves the Kubernetes API", joined.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Node serviced joined: datastore standby, caught up, Ready", joined.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"join: \"{join}\"", await File.ReadAllTextAsync(install.ConfigPath), StringComparison.Ordinal);
        Assert.NotNull(install.RunningServerPid());
        await Cluster.ClusterNodes.WaitForRolesAsync(first, voters: ["first"], standbys: ["serviced"]);

        // The node is a member now: joining again needs `litekube leave` first.
        var again = await LiteKubeCommand.RunAsync(["join", join], binary: install.BinaryPath);
        CliAssert.OneLineError(again, 1, "already holds a cluster member", "litekube leave");

        var uninstall = await install.UninstallAsync(deleteData: true);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Null(install.RunningServerPid());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Install_fails_with_the_server_log_when_the_server_cannot_start()
    {
        await using var install = new InstallScript();

        var output = await install.InstallAsync(new Dictionary<string, string>
        {
            ["INSTALL_LITEKUBE_EXEC"] = $"--bind-address {LoopbackAddresses.Allocate()} --etcd-port 99999",
        });

        Assert.True(output.ExitCode != 0, output.ToString());
        Assert.Contains("litekube: --etcd-port: '99999' is not a port number", output.StandardError, StringComparison.Ordinal);
        Assert.Contains("[ERROR] litekube server exited", output.StandardError, StringComparison.Ordinal);
        Assert.Null(install.RunningServerPid());
    }

    /// <summary>A zombie has exited too; only its parent has not collected it yet.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

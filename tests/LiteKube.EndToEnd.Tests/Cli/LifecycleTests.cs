using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

public sealed class LifecycleTests
{
    [Theory]
    [InlineData(PosixSignal.SigTerm)]
    [InlineData(2)] // SIGINT: Ctrl-C in a terminal
    public async Task Signal_stops_the_server_cleanly_and_the_data_survives_a_restart(int signal)
    {
        await using var node = await LiteKubeProcess.StartAsync();
        Assert.Single(node.StandardOutput.Split('\n'), line => line.Contains(LiteKubeProcess.ReadyMarker, StringComparison.Ordinal));
        var put = await node.EtcdctlAsync("put", "/lifecycle/key", "kept");
        Assert.True(put.ExitCode == 0, put.ToString());

        PosixSignal.Send(node.ProcessId, signal);
        var exitCode = await node.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, node.Describe());
        Assert.Contains("litekube server stopped", node.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(node.StandardError);
        await using var restarted = await node.RestartAsync();
        var get = await restarted.EtcdctlAsync("get", "/lifecycle/key", "--print-value-only");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal("kept", get.StandardOutput.Trim());
    }

    [Fact]
    public async Task Member_and_cluster_ids_are_made_once_and_kept_across_restarts()
    {
        await using var node = await LiteKubeProcess.StartAsync();
        var identityFile = Path.Combine(node.DataDirectory, "member.json");
        var before = await File.ReadAllTextAsync(identityFile);
        var membersBefore = await node.EtcdctlAsync("member", "list", "--hex");
        await node.StopAsync();

        await using var restarted = await node.RestartAsync();
        var membersAfter = await restarted.EtcdctlAsync("member", "list", "--hex");

        Assert.Equal(before, await File.ReadAllTextAsync(identityFile));
        Assert.True(membersBefore.ExitCode == 0, membersBefore.ToString());
        Assert.Equal(membersBefore.StandardOutput, membersAfter.StandardOutput);
        var memberId = System.Text.Json.JsonDocument.Parse(before).RootElement.GetProperty("member-id").GetString()!;
        Assert.Contains(memberId.TrimStart('0'), membersAfter.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_kill_the_data_dir_lock_is_released_and_the_server_restarts()
    {
        await using var node = await LiteKubeProcess.StartAsync();
        var put = await node.EtcdctlAsync("put", "/crash/key", "acknowledged");
        Assert.True(put.ExitCode == 0, put.ToString());

        await node.KillAsync();

        await using var restarted = await node.RestartAsync();
        var get = await restarted.EtcdctlAsync("get", "/crash/key", "--print-value-only");
        Assert.Equal("acknowledged", get.StandardOutput.Trim());
    }
}

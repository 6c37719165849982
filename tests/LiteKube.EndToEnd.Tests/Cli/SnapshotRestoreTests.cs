using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary>A snapshot saved with the real etcdctl restores into a new node with litekube.</summary>
public sealed class SnapshotRestoreTests
{
    [Fact]
    public async Task A_snapshot_saved_with_etcdctl_restores_into_a_new_data_dir_with_every_key()
    {
        using var scratch = new TemporaryDirectory();
        var snapshot = scratch.Combine("backup.db");
        await using (var node = await LiteKubeProcess.StartAsync())
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(0, (await node.EtcdctlAsync("put", $"/backup/{i:D2}", $"value-{i}")).ExitCode);
            }

            var saved = await node.EtcdctlAsync("snapshot", "save", snapshot);
            Assert.True(saved.ExitCode == 0, saved.ToString());
            // Written after the snapshot: must not come back.
            Assert.Equal(0, (await node.EtcdctlAsync("put", "/backup/late", "x")).ExitCode);
        }

        var target = scratch.Combine("restored");
        var restore = await LiteKubeCommand.RunAsync(["etcd-snapshot", "restore", snapshot, "--data-dir", target]);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("restored", restore.StandardOutput, StringComparison.Ordinal);

        await using var restored = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { DataDirectory = target });
        var keys = await restored.EtcdctlAsync("get", "/backup/", "--prefix", "--keys-only");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"/backup/{i:D2}"), keys.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var value = await restored.EtcdctlAsync("get", "/backup/07", "--print-value-only");
        Assert.Equal("value-7", value.StandardOutput.Trim());

        // The restored node is a new cluster whose Raft log starts after the restored state:
        // writes made now are applied and survive a restart.
        Assert.Equal(0, (await restored.EtcdctlAsync("put", "/after-restore", "kept")).ExitCode);
        Assert.Equal(0, await restored.StopAsync());
        await using var again = await restored.RestartAsync();
        Assert.Equal("kept", (await again.EtcdctlAsync("get", "/after-restore", "--print-value-only")).StandardOutput.Trim());
    }

    [Fact]
    public async Task Restore_refuses_a_missing_file_a_damaged_file_and_a_data_dir_that_holds_a_datastore()
    {
        using var scratch = new TemporaryDirectory();
        var missing = await LiteKubeCommand.RunAsync(["etcd-snapshot", "restore", scratch.Combine("nope.db"), "--data-dir", scratch.Combine("a")]);
        CliAssert.OneLineError(missing, 1, "does not exist");

        var garbage = scratch.Combine("garbage.db");
        await File.WriteAllBytesAsync(garbage, new byte[4096 + 32]);
        var damaged = await LiteKubeCommand.RunAsync(["etcd-snapshot", "restore", garbage, "--data-dir", scratch.Combine("b")]);
        CliAssert.OneLineError(damaged, 1, "restoring");
        Assert.False(Directory.Exists(scratch.Combine("b", "db")), "a failed restore must leave no datastore behind");

        await using var node = await LiteKubeProcess.StartAsync();
        var snapshot = scratch.Combine("ok.db");
        Assert.Equal(0, (await node.EtcdctlAsync("snapshot", "save", snapshot)).ExitCode);
        var occupied = await LiteKubeCommand.RunAsync(["etcd-snapshot", "restore", snapshot, "--data-dir", node.DataDirectory]);
        CliAssert.OneLineError(occupied, 1, "already holds a datastore");
    }
}

using System.Net.Sockets;
using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary>A server that cannot start says why in one line and exits non-zero.</summary>
public sealed class StartupErrorTests
{
    private static Task<ProcessOutput> StartServerAsync(string dataDirectory, string address) =>
        LiteKubeCommand.RunAsync(["server", "--data-dir", dataDirectory, "--bind-address", address, "--config", "/dev/null"]);

    [Fact]
    public async Task Data_dir_that_cannot_be_created_is_refused_with_a_hint()
    {
        using var temporary = new TemporaryDirectory();
        // Root ignores permissions, so make the path impossible instead: its parent is a file.
        var file = temporary.Combine("file");
        await File.WriteAllTextAsync(file, "not a directory");
        var dataDirectory = Path.Combine(file, "db");

        var output = await StartServerAsync(dataDirectory, LoopbackAddresses.Allocate().ToString());

        CliAssert.OneLineError(output, 1, "data directory", dataDirectory, $"{file} is a file, not a directory", "--data-dir");
        Assert.DoesNotContain(LiteKubeProcess.ReadyMarker, output.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_datastore_is_refused_and_left_untouched()
    {
        await using var node = await LiteKubeProcess.StartAsync();
        Assert.Equal(0, await node.StopAsync());
        var current = Path.Combine(node.DataDirectory, "db", "CURRENT");
        await File.WriteAllTextAsync(current, "garbage, not a manifest name\0\0\0");

        var output = await StartServerAsync(node.DataDirectory, node.Address.ToString());

        CliAssert.OneLineError(output, 1, "opening the datastore", Path.Combine(node.DataDirectory, "db"));
        Assert.Equal("garbage, not a manifest name\0\0\0", await File.ReadAllTextAsync(current));
    }

    [Fact]
    public async Task Etcd_port_in_use_is_refused_with_the_address()
    {
        var address = LoopbackAddresses.Allocate();
        var squatter = new TcpListener(address, LiteKubeProcess.EtcdPort);
        squatter.Start();
        try
        {
            using var temporary = new TemporaryDirectory();

            var output = await StartServerAsync(temporary.Combine("data"), address.ToString());

            CliAssert.OneLineError(output, 1, $"{address}:{LiteKubeProcess.EtcdPort}", "already in use", "--etcd-port");
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Fact]
    public async Task Second_server_on_the_same_data_dir_is_refused_and_the_first_keeps_serving()
    {
        await using var first = await LiteKubeProcess.StartAsync();

        var output = await StartServerAsync(first.DataDirectory, LoopbackAddresses.Allocate().ToString());

        CliAssert.OneLineError(output, 1, first.DataDirectory, "in use by another litekube process");
        Assert.False(first.HasExited, first.Describe());
        var put = await first.EtcdctlAsync("put", "/still", "serving");
        Assert.True(put.ExitCode == 0, put.ToString());
    }
}

using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary>The release artifact: one self-contained file per architecture.</summary>
public sealed class PublishTests
{
    [Fact]
    public async Task Published_binary_is_one_file_that_runs_from_an_empty_directory()
    {
        var published = Directory.GetFiles(Path.GetDirectoryName(await LiteKubeBinary.GetPathAsync())!);
        Assert.Equal(["litekube"], published.Select(Path.GetFileName));
        using var temporary = new TemporaryDirectory();
        var alone = temporary.Combine("bin", "litekube");
        Directory.CreateDirectory(Path.GetDirectoryName(alone)!);
        File.Copy(LiteKubeBinary.Path, alone);

        // The RocksDB native library must come out of the binary itself: start a server with it.
        await using var node = await LiteKubeProcess.StartAsync(new LiteKubeProcessOptions { Binary = alone });
        var put = await node.EtcdctlAsync("put", "/single-file", "yes");

        Assert.True(put.ExitCode == 0, put.ToString());
        Assert.Equal(0, await node.StopAsync());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Publishes_one_aarch64_file_for_linux_arm64()
    {
        using var temporary = new TemporaryDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));

        var binary = await LiteKubeBinary.PublishAsync("linux-arm64", temporary.Combine("arm64"), timeout.Token);

        Assert.Equal(["litekube"], Directory.GetFiles(temporary.Combine("arm64")).Select(Path.GetFileName));
        var header = new byte[20];
        await using (var file = File.OpenRead(binary))
        {
            await file.ReadExactlyAsync(header, timeout.Token);
        }
        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        const ushort MachineAarch64 = 183; // e_machine, little-endian at offset 18
        Assert.Equal(MachineAarch64, BitConverter.ToUInt16(header, 18));
        // The bundle's manifest names every embedded file uncompressed: RocksDB's native library
        // must be there, and only the glibc build of it.
        var bytes = await File.ReadAllBytesAsync(binary, timeout.Token);
        Assert.True(bytes.AsSpan().IndexOf("librocksdb.so"u8) >= 0, "librocksdb.so is not in the bundle");
        Assert.True(bytes.AsSpan().IndexOf("librocksdb-musl.so"u8) < 0, "the musl build of librocksdb should not be bundled");
    }
}

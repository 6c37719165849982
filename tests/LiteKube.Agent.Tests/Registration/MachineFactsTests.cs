using System.Runtime.InteropServices;
using LiteKube.Agent.Registration;

namespace LiteKube.Agent.Tests.Registration;

public sealed class MachineFactsTests
{
    [Fact]
    public void Memory_comes_from_memtotal_in_bytes()
    {
        Assert.Equal(24_683_620L * 1024, MachineFacts.MemTotalBytes("MemTotal:       24683620 kB\nMemFree:         1000 kB\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("MemFree: 1 kB\n")]
    [InlineData("MemTotal: lots kB\n")]
    public void Unreadable_memory_is_zero_not_a_guess(string meminfo) => Assert.Equal(0, MachineFacts.MemTotalBytes(meminfo));

    [Theory]
    [InlineData("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n", "Debian GNU/Linux 12 (bookworm)")]
    [InlineData("PRETTY_NAME=Alpine\n", "Alpine")]
    [InlineData("", "Linux")]
    public void The_os_image_is_os_releases_pretty_name(string osRelease, string expected) =>
        Assert.Equal(expected, MachineFacts.PrettyName(osRelease));

    [Theory]
    [InlineData(Architecture.X64, "amd64")]
    [InlineData(Architecture.Arm64, "arm64")]
    [InlineData(Architecture.Arm, "arm")]
    public void Architectures_are_named_as_go_names_them(Architecture architecture, string expected) =>
        Assert.Equal(expected, MachineFacts.GoArchitecture(architecture));

    [Fact]
    public void This_machine_reads_without_guessing()
    {
        var facts = MachineFacts.Read(Path.GetTempPath());

        Assert.Equal(Environment.ProcessorCount, facts.Cpus);
        Assert.True(facts.MemoryBytes > 0);
        Assert.True(facts.EphemeralStorageBytes > 0);
        Assert.NotEqual("", facts.KernelVersion);
    }
}

using LiteKube.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace LiteKube.EndToEnd.Tests.Cli;

/// <summary>What every CLI failure must look like: a non-zero exit and exactly one line on
/// stderr, <c>litekube: ...</c>, that says what failed; never a stack trace.</summary>
public static class CliAssert
{
    public static string OneLineError(ProcessOutput output, int expectedExitCode, params string[] mustContain)
    {
        Assert.True(output.ExitCode == expectedExitCode, $"expected exit code {expectedExitCode}\n{output}");
        var lines = output.StandardErrorLines;
        Assert.True(lines.Length == 1, $"expected one line on stderr\n{output}");
        var line = lines[0];
        Assert.StartsWith("litekube: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        foreach (var text in mustContain)
        {
            Assert.True(line.Contains(text, StringComparison.Ordinal), $"expected '{text}' in the error\n{output}");
        }
        return line;
    }
}

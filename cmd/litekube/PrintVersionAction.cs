using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace LiteKube.Cli;

/// <summary><c>litekube --version</c>: <c>litekube version v0.1.0 (commit abc123def456)</c>.</summary>
public sealed class PrintVersionAction : SynchronousCommandLineAction
{
    public static string VersionText
    {
        get
        {
            var informational = typeof(PrintVersionAction).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            // The SDK appends "+<git commit>" when built from a git checkout.
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            if (plus < 0)
            {
                return $"litekube version v{informational}";
            }
            var commit = informational[(plus + 1)..];
            return $"litekube version v{informational[..plus]} (commit {commit[..Math.Min(12, commit.Length)]})";
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(VersionText);
        return ExitCodes.Success;
    }
}

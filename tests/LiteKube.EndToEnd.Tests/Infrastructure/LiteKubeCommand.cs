using CliWrap;
using CliWrap.Buffered;

namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the published litekube binary to completion, e.g. <c>--help</c> or a server
/// start that is expected to fail. For a server that should keep running use
/// <see cref="LiteKubeProcess"/>.</summary>
public static class LiteKubeCommand
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The binary sees none of the test process's <c>LITEKUBE_*</c> variables, only
    /// <paramref name="environment"/>.</summary>
    public static async Task<ProcessOutput> RunAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, string? workingDirectory = null, string? binary = null, string? standardInput = null)
    {
        // The binary first: publishing it must not eat into the command's timeout.
        binary ??= await LiteKubeBinary.GetPathAsync();
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var result = await CliWrap.Cli.Wrap(binary)
            .WithArguments(arguments)
            .WithEnvironmentVariables(ChildEnvironment(environment))
            .WithWorkingDirectory(workingDirectory ?? Directory.GetCurrentDirectory())
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput))
            .ExecuteBufferedAsync(cancel.Token);
        return new ProcessOutput(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Removes inherited <c>LITEKUBE_*</c> variables (a developer's shell may set some)
    /// and adds the given ones.</summary>
    internal static Dictionary<string, string?> ChildEnvironment(IReadOnlyDictionary<string, string>? environment)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if (name.StartsWith("LITEKUBE_", StringComparison.Ordinal))
            {
                variables[name] = null;
            }
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        return variables;
    }
}

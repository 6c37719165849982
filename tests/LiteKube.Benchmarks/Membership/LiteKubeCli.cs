using System.Diagnostics;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Membership;

/// <summary>
/// The membership verb a person runs on a node to grow the cluster (<c>add-node</c>), as a child
/// process of the binary under test with the same environment as the servers (no stray
/// LITEKUBE_* settings, native libraries unpacked into the run's temp dir).
/// </summary>
public sealed class LiteKubeCli(string binary, string extractDirectory)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    public string Binary => binary;

    public string ExtractDirectory => extractDirectory;

    /// <summary><c>litekube add-node</c> on the node using <paramref name="dataDirectory"/>: the
    /// join string of the one-time command it prints.</summary>
    public async Task<string> AddNodeAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var output = await RunAsync(["add-node", "--data-dir", dataDirectory], cancellationToken);
        const string prefix = "litekube join ";
        return output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line
            ? line[prefix.Length..]
            : throw new InvalidOperationException($"litekube add-node printed no join command:\n{output}");
    }

    /// <summary>Runs a verb to completion; its standard output, or an exception with both streams
    /// when it fails.</summary>
    private async Task<string> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in LiteKubeServer.Environment(extractDirectory))
        {
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {binary}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new InvalidOperationException($"litekube {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds} s");
        }

        var output = await stdout;
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"litekube {string.Join(' ', arguments)} exited with {process.ExitCode}: {(await stderr).Trim()}");
    }
}

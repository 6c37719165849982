using System.Diagnostics;

namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>Runs Debian's real etcdctl (3.4) against a test server.</summary>
internal static class Etcdctl
{
    public const string Path = "/usr/bin/etcdctl";

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunWithInputAsync(Uri endpoint, string? stdin, params string[] args)
    {
        using var process = Start(endpoint, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(Uri endpoint, params string[] args) => RunWithInputAsync(endpoint, null, args);

    /// <summary>Starts etcdctl for commands that do not end by themselves (watch); reads its
    /// output until <paramref name="lines"/> lines arrived, then kills it.</summary>
    public static async Task<List<string>> ReadLinesThenKillAsync(Uri endpoint, int lines, params string[] args)
    {
        using var process = Start(endpoint, args);
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (output.Count < lines && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
            }
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        Assert.True(output.Count == lines, $"etcdctl wrote {output.Count} of {lines} lines: {string.Join("|", output)} {await stderr}");
        return output;
    }

    private static Process Start(Uri endpoint, string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ETCDCTL_API"] = "3";
        start.ArgumentList.Add($"--endpoints={endpoint.GetLeftPart(UriPartial.Authority)}");
        start.ArgumentList.Add("--dial-timeout=5s");
        start.ArgumentList.Add("--command-timeout=20s");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("etcdctl did not start");
    }
}

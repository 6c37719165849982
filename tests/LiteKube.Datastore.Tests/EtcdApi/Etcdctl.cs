using System.Diagnostics;

namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>Runs Debian's real etcdctl (3.4) against a test server.</summary>
internal static class Etcdctl
{
    public const string Path = "/usr/bin/etcdctl";

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunWithInputAsync(Uri endpoint, string? stdin, params string[] args)
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

        using var process = Process.Start(start) ?? throw new InvalidOperationException("etcdctl did not start");
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
}

using CliWrap;
using CliWrap.Buffered;

namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>Runs Debian's real etcdctl (package etcd-client) with the v3 API against one
/// endpoint. Tests usually call <see cref="LiteKubeProcess.EtcdctlAsync"/> instead.</summary>
public static class EtcdctlProgram
{
    public const string Path = "/usr/bin/etcdctl";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A ready-to-run etcdctl command with <c>--endpoints</c> set, for tests that stream
    /// its output (e.g. <c>watch</c>) with CliWrap's ListenAsync/ExecuteAsync and pipes.</summary>
    public static Command Command(string endpoint, params string[] arguments) =>
        CliWrap.Cli.Wrap(Path)
            .WithArguments(["--endpoints", endpoint, .. arguments])
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["ETCDCTL_API"] = "3" })
            .WithValidation(CommandResultValidation.None);

    /// <summary>Runs etcdctl to completion; a run longer than <paramref name="timeout"/>
    /// (default 30 s) is killed and throws <see cref="OperationCanceledException"/>.</summary>
    public static async Task<ProcessOutput> RunAsync(string endpoint, string? standardInput, string[] arguments, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var command = Command(endpoint, arguments);
        if (standardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        }
        var result = await command.ExecuteBufferedAsync(cancel.Token);
        return new ProcessOutput(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}

using System.Net;
using System.Text;
using CliWrap;

namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>One running <c>litekube server</c> (the published binary) on its own loopback
/// address and data directory, with the default ports.</summary>
/// <example><code>
/// await using var node = await LiteKubeProcess.StartAsync();
/// var put = await node.EtcdctlAsync("put", "/a", "1");   // etcdctl --endpoints http://127.0.0.N:2379 put /a 1
/// Assert.Equal(0, put.ExitCode);
/// await node.StopAsync();                                 // SIGTERM, waits for the exit
/// await using var again = await node.RestartAsync();      // same data dir and address
/// </code></example>
/// <remarks>Disposing kills a process that is still running and deletes the temporary
/// directory it owns. Output is kept in memory (<see cref="StandardOutput"/>,
/// <see cref="StandardError"/>) and copied to <see cref="LiteKubeProcessOptions.Output"/>.</remarks>
public sealed class LiteKubeProcess : IAsyncDisposable
{
    public const string ReadyMarker = "litekube server ready:";
    public const int EtcdPort = 2379;
    public const int ApiPort = 6443;
    public const int ClusterPort = 25000;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly LiteKubeProcessOptions options;
    private readonly StringBuilder standardOutput = new();
    private readonly StringBuilder standardError = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource forceful = new();
    private string? ownedDirectory;
    private CommandTask<CommandResult>? running;

    private LiteKubeProcess(LiteKubeProcessOptions options, IPAddress address, string dataDirectory, string? ownedDirectory)
    {
        this.options = options;
        Address = address;
        DataDirectory = dataDirectory;
        this.ownedDirectory = ownedDirectory;
    }

    public IPAddress Address { get; }

    public string DataDirectory { get; }

    /// <summary><c>http://127.0.0.N:2379</c>.</summary>
    public string EtcdEndpoint => $"http://{Address}:{EtcdPort}";

    /// <summary><c>https://127.0.0.N:6443</c>: the Kubernetes API.</summary>
    public string ApiEndpoint => $"https://{Address}:{ApiPort}";

    /// <summary>The admin kubeconfig the server writes, <c>&lt;data-dir&gt;/kubeconfig</c>.</summary>
    public string KubeconfigPath => System.IO.Path.Combine(DataDirectory, "kubeconfig");

    public int ProcessId => running?.ProcessId ?? throw new InvalidOperationException("not started");

    public bool HasExited => running?.Task.IsCompleted ?? false;

    public string StandardOutput
    {
        get { lock (standardOutput) { return standardOutput.ToString(); } }
    }

    public string StandardError
    {
        get { lock (standardError) { return standardError.ToString(); } }
    }

    /// <summary>Starts a server and waits for its ready line. Throws (with its output) when it
    /// exits or stays silent instead.</summary>
    public static async Task<LiteKubeProcess> StartAsync(LiteKubeProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LiteKubeProcessOptions();
        var temporary = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temporary);
        var process = new LiteKubeProcess(options, options.Address ?? LoopbackAddresses.Allocate(),
            options.DataDirectory ?? System.IO.Path.Combine(temporary, "data"), temporary);
        try
        {
            await process.StartCoreAsync(temporary, cancellationToken);
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a new server on the same data directory and address (this one must have
    /// exited); the new process takes over the temporary directory.</summary>
    public async Task<LiteKubeProcess> RestartAsync(LiteKubeProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!HasExited)
        {
            throw new InvalidOperationException("stop or kill the process before restarting it");
        }
        var next = (options ?? this.options) with { Address = Address, DataDirectory = DataDirectory };
        var temporary = ownedDirectory ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "litekube-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temporary);
        ownedDirectory = null;
        var process = new LiteKubeProcess(next, Address, DataDirectory, temporary);
        try
        {
            await process.StartCoreAsync(temporary, cancellationToken);
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>etcdctl --endpoints http://127.0.0.N:2379 ARGS</c> (API v3) to completion.</summary>
    public Task<ProcessOutput> EtcdctlAsync(params string[] arguments) => EtcdctlProgram.RunAsync(EtcdEndpoint, null, arguments);

    /// <summary>Same, with <paramref name="standardInput"/> piped in (e.g. <c>txn</c>).</summary>
    public Task<ProcessOutput> EtcdctlWithInputAsync(string standardInput, params string[] arguments) =>
        EtcdctlProgram.RunAsync(EtcdEndpoint, standardInput, arguments);

    /// <summary>An etcdctl command against this node to stream yourself (e.g. <c>watch</c>).</summary>
    public Command EtcdctlCommand(params string[] arguments) => EtcdctlProgram.Command(EtcdEndpoint, arguments);

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        PosixSignal.Send(ProcessId, PosixSignal.SigTerm);
        return await WaitForExitAsync(StopTimeout);
    }

    /// <summary>Sends SIGKILL (a crash: nothing is flushed or closed) and waits for the exit.</summary>
    public async Task KillAsync()
    {
        PosixSignal.Send(ProcessId, PosixSignal.SigKill);
        await WaitForExitAsync(StopTimeout);
    }

    /// <summary>Waits for the process to exit on its own; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var task = running?.Task ?? throw new InvalidOperationException("not started");
        try
        {
            var result = await task.WaitAsync(timeout);
            return result.ExitCode;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"litekube (pid {ProcessId}) did not exit within {timeout}\n{Describe()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (running is not null && !HasExited)
        {
            await forceful.CancelAsync();
            try
            {
                await running.Task.WaitAsync(StopTimeout);
            }
            catch (OperationCanceledException)
            {
                // CliWrap reports a forceful kill as cancellation; it is what we asked for.
            }
        }
        forceful.Dispose();
        if (ownedDirectory is not null)
        {
            try
            {
                Directory.Delete(ownedDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Leave it to the OS's tmp cleaning rather than fail a test over it.
            }
        }
    }

    public string Describe() => $"litekube server on {Address}, data {DataDirectory}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    private async Task StartCoreAsync(string temporary, CancellationToken cancellationToken)
    {
        var binary = options.Binary ?? await LiteKubeBinary.GetPathAsync();
        var config = System.IO.Path.Combine(temporary, $"config-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(config, options.ConfigYaml, cancellationToken);
        string[] arguments =
        [
            "server", "--data-dir", DataDirectory, "--config", config,
            .. options.PassBindAddress ? ["--bind-address", Address.ToString()] : Array.Empty<string>(),
            .. options.ExtraArguments,
        ];
        running = CliWrap.Cli.Wrap(binary)
            .WithArguments(arguments)
            .WithEnvironmentVariables(LiteKubeCommand.ChildEnvironment(options.Environment))
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => OnLine(standardOutput, line, isOutput: true)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => OnLine(standardError, line, isOutput: false)))
            .ExecuteAsync(forceful.Token);

        if (options.WaitForReady)
        {
            await WaitUntilReadyAsync(cancellationToken);
        }
    }

    /// <summary>Waits for the ready line. Throws (with the output) when the process exits or
    /// stays silent for <see cref="LiteKubeProcessOptions.ReadyTimeout"/> instead.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        var exited = running?.Task ?? throw new InvalidOperationException("not started");
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(options.ReadyTimeout, cancellationToken));
        if (first == ready.Task)
        {
            return;
        }
        if (first == exited)
        {
            // Let the pipes drain so the error is in the message.
            await Task.Delay(100, CancellationToken.None);
            throw new InvalidOperationException($"litekube server exited before it was ready\n{Describe()}");
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"litekube server was not ready within {options.ReadyTimeout}\n{Describe()}");
    }

    private void OnLine(StringBuilder buffer, string line, bool isOutput)
    {
        lock (buffer)
        {
            buffer.AppendLine(line);
        }
        if (isOutput && line.Contains(ReadyMarker, StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
        try
        {
            options.Output?.WriteLine($"[{Address}{(isOutput ? "" : " stderr")}] {line}");
        }
        catch (InvalidOperationException)
        {
            // xunit refuses output once the test has finished; the process may outlive it.
        }
    }
}

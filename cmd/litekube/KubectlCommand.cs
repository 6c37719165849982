using CliWrap;
using LiteKube.Host.Settings;

namespace LiteKube.Cli;

/// <summary><c>litekube kubectl ARGS...</c>: the system kubectl with this machine's server's admin
/// kubeconfig, as <c>k3s kubectl</c> does. Every argument after the verb goes to kubectl as it
/// is (litekube parses none of them, so kubectl's own flags and <c>--help</c> work); stdin,
/// stdout, stderr and the exit code pass through.</summary>
public static class KubectlCommand
{
    public const string Name = "kubectl";
    public const string FallbackKubectl = "/usr/bin/kubectl";

    /// <summary>Only for help: <see cref="LiteKubeCommandLine"/> hands <c>kubectl</c> to
    /// <see cref="RunAsync"/> before System.CommandLine sees the arguments.</summary>
    public static System.CommandLine.Command BuildForHelp() =>
        new(Name, $"Run kubectl (from PATH, else {FallbackKubectl}) with the server's admin kubeconfig (<data-dir>/kubeconfig, unless KUBECONFIG is set); every argument goes to kubectl.");

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        var environment = ServerCommand.LiteKubeEnvironment();
        var kubeconfigFromEnvironment = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBECONFIG"));
        string? kubeconfig = null;
        if (!kubeconfigFromEnvironment)
        {
            var dataDirectory = KubectlDataDirectory.Resolve(environment, ServerSettingNames.DefaultConfigFile);
            kubeconfig = Path.Combine(dataDirectory, "kubeconfig");
            if (!File.Exists(kubeconfig))
            {
                await Console.Error.WriteLineAsync($"litekube kubectl: no kubeconfig at {kubeconfig}: is the server running with --data-dir {dataDirectory}?");
                return ExitCodes.Failure;
            }
        }
        var kubectl = FindKubectl(Environment.GetEnvironmentVariable("PATH"));
        if (kubectl is null)
        {
            await Console.Error.WriteLineAsync($"litekube kubectl: kubectl is neither on PATH nor at {FallbackKubectl}; install kubectl");
            return ExitCodes.Failure;
        }

        using var graceful = new CancellationTokenSource();
        // A terminal's Ctrl-C reaches kubectl too (same process group): let kubectl decide and
        // report its exit code. SIGTERM is sent to us alone, so pass it on as an interrupt.
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGINT, context => context.Cancel = true);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                graceful.Cancel();
            });
        await using var standardInput = Console.OpenStandardInput();
        await using var standardOutput = Console.OpenStandardOutput();
        await using var standardError = Console.OpenStandardError();
        using var exited = new CancellationTokenSource();
        try
        {
            var running = CliWrap.Cli.Wrap(kubectl)
                .WithArguments(KubectlArguments(arguments, kubeconfig))
                .WithStandardInputPipe(AbandonableInput(standardInput, exited.Token))
                .WithStandardOutputPipe(PipeTarget.ToStream(standardOutput, autoFlush: true))
                .WithStandardErrorPipe(PipeTarget.ToStream(standardError, autoFlush: true))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(CancellationToken.None, graceful.Token);
            using var child = ChildOrNull(running.ProcessId);
            if (child is null)
            {
                await exited.CancelAsync(); // already gone
            }
            else
            {
                _ = child.WaitForExitAsync().ContinueWith(_ => exited.Cancel(), TaskScheduler.Default);
            }
            var result = await running;
            return result.ExitCode;
        }
        catch (OperationCanceledException) when (graceful.IsCancellationRequested)
        {
            return 143; // 128 + SIGTERM, as a shell reports it
        }
    }

    private static System.Diagnostics.Process? ChildOrNull(int processId)
    {
        try
        {
            return System.Diagnostics.Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return null; // exited (and was reaped) before we looked
        }
    }

    /// <summary>Copies our stdin to kubectl's until either ends. A read from a terminal or an idle
    /// pipe cannot be cancelled, so when kubectl exits first the pending read is abandoned rather
    /// than awaited; otherwise <c>litekube kubectl get pods</c> typed at a terminal would wait
    /// for Ctrl-D after kubectl has finished.</summary>
    private static PipeSource AbandonableInput(Stream input, CancellationToken exited) => PipeSource.Create(async (destination, cancellationToken) =>
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, exited);
        var buffer = new byte[81920];
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(buffer, stop.Token).AsTask().WaitAsync(stop.Token);
                if (read == 0)
                {
                    return;
                }
                await destination.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                await destination.FlushAsync(stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // kubectl exited (or closed its stdin): nothing more to pass on.
        }
    });

    /// <summary>kubectl's arguments: the user's, after <c>--kubeconfig</c> when litekube chose the file.</summary>
    public static IReadOnlyList<string> KubectlArguments(IReadOnlyList<string> arguments, string? kubeconfig) =>
        kubeconfig is null ? arguments : ["--kubeconfig", kubeconfig, .. arguments];

    /// <summary>The first executable <c>kubectl</c> on <paramref name="path"/>, else
    /// <see cref="FallbackKubectl"/> when it exists, else null.</summary>
    public static string? FindKubectl(string? path)
    {
        foreach (var directory in (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, Name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }
        return File.Exists(FallbackKubectl) ? FallbackKubectl : null;
    }
}

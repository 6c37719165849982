using LiteKube.EndToEnd.Tests.Infrastructure;
using CliWrap;
using CliWrap.Buffered;

namespace LiteKube.EndToEnd.Tests.Install;

/// <summary>Runs <c>install.sh</c> (and the uninstaller it writes) under a temporary prefix
/// (<c>INSTALL_LITEKUBE_ROOT</c>), which also keeps it away from systemd.</summary>
public sealed class InstallScript : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public InstallScript()
    {
        Root = Path.Combine(Path.GetTempPath(), "litekube-e2e", "install-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        BinDirectory = Path.Combine(Root, "usr", "local", "bin");
        DataDirectory = Path.Combine(Root, "var", "lib", "litekube");
    }

    public string Root { get; }

    /// <summary>Where install.sh puts the binaries; set it when the test passes
    /// INSTALL_LITEKUBE_BIN_DIR.</summary>
    public string BinDirectory { get; set; }

    /// <summary>The server's data directory; set it when the test passes LITEKUBE_DATA_DIR.</summary>
    public string DataDirectory { get; set; }

    public string BinaryPath => Path.Combine(BinDirectory, "litekube");

    public string UninstallPath => Path.Combine(BinDirectory, "litekube-uninstall.sh");

    public string UnitPath => Path.Combine(Root, "etc", "systemd", "system", "litekube.service");

    public string ConfigPath => Path.Combine(Root, "etc", "litekube", "config.yaml");

    public string PidFile => Path.Combine(Root, "run", "litekube", "litekube.pid");

    public string LogFile => Path.Combine(Root, "var", "log", "litekube.log");

    public static string ScriptPath => Path.Combine(RepositoryRoot.Path, "install.sh");

    /// <summary>Runs install.sh with INSTALL_LITEKUBE_ROOT set to <see cref="Root"/>.</summary>
    public async Task<ProcessOutput> InstallAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        // install.sh publishes the same project as the tests do: never at the same time.
        await LiteKubeBinary.GetPathAsync();
        await using var buildLock = await LiteKubeBinary.AcquireBuildLockAsync(CancellationToken.None);
        var variables = new Dictionary<string, string> { ["INSTALL_LITEKUBE_ROOT"] = Root };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        return await RunAsync("sh", [ScriptPath], variables);
    }

    public Task<ProcessOutput> UninstallAsync(bool deleteData) =>
        RunAsync("sh", [UninstallPath], deleteData ? new Dictionary<string, string> { ["LITEKUBE_UNINSTALL_DATA"] = "1" } : []);

    public static async Task<ProcessOutput> RunAsync(string program, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if (name.StartsWith("LITEKUBE_", StringComparison.Ordinal) || name.StartsWith("INSTALL_LITEKUBE_", StringComparison.Ordinal))
            {
                variables[name] = null;
            }
        }
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }
        using var cancel = new CancellationTokenSource(Timeout);
        var result = await CliWrap.Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(variables)
            .WithWorkingDirectory(RepositoryRoot.Path)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancel.Token);
        return new ProcessOutput(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>The pid of the server install.sh started, if it is still running.</summary>
    public int? RunningServerPid()
    {
        if (!File.Exists(PidFile) || !int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid))
        {
            return null;
        }
        return IsRunning(pid) ? pid : null;
    }

    /// <summary>As install.sh's alive(): the process exists and is not a zombie. A server that
    /// failed to start has exited even while nothing has reaped it yet (no init in a sandbox).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Never leaves a server behind, whatever the test did.</summary>
    public async ValueTask DisposeAsync()
    {
        if (RunningServerPid() is { } pid)
        {
            PosixSignal.Send(pid, PosixSignal.SigKill);
            await Task.Delay(200);
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

using System.Runtime.InteropServices;
using CliWrap;
using CliWrap.Buffered;

namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>The published single-file <c>litekube</c> binary that end-to-end tests run, exactly
/// as users get it: <c>dotnet publish cmd/litekube -c Release -r linux-&lt;arch&gt;</c> into
/// <c>&lt;repo&gt;/artifacts/e2e-bin/litekube</c>.</summary>
/// <remarks>Published once per test process, on first use of <see cref="Path"/>; a file lock
/// (<c>artifacts/e2e-bin.lock</c>) makes concurrent test processes publish one after another
/// instead of writing the same files at once. It publishes every run rather than trusting a
/// stale binary: correctness over speed.</remarks>
public static class LiteKubeBinary
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>Absolute path of the binary; blocks on first use while it is published.</summary>
    public static string Path => Published.Value.GetAwaiter().GetResult();

    public static Task<string> GetPathAsync() => Published.Value;

    public static string RuntimeIdentifier => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        var other => throw new PlatformNotSupportedException($"litekube is published for x64 and arm64 Linux, not {other}"),
    };

    /// <summary>Publishes <c>cmd/litekube</c> for <paramref name="runtimeIdentifier"/> into
    /// <paramref name="output"/> and returns the binary's path. Holds the build lock.</summary>
    public static async Task<string> PublishAsync(string runtimeIdentifier, string output, CancellationToken cancellationToken)
    {
        await using var buildLock = await AcquireBuildLockAsync(cancellationToken);
        var project = System.IO.Path.Combine(RepositoryRoot.Path, "cmd", "litekube", "litekube.csproj");
        var result = await CliWrap.Cli.Wrap("dotnet")
            .WithArguments(["publish", project, "-c", "Release", "-r", runtimeIdentifier, "-o", output, "-nologo"])
            .WithWorkingDirectory(RepositoryRoot.Path)
            .WithEnvironmentVariables(WithoutTestHostMsBuildVariables())
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of litekube for {runtimeIdentifier} failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        }
        var binary = System.IO.Path.Combine(output, "litekube");
        return File.Exists(binary) ? binary : throw new FileNotFoundException("dotnet publish did not produce the binary", binary);
    }

    /// <summary>Every build of cmd/litekube from tests (this publish, install.sh's, other RIDs)
    /// writes the same obj/ directories, so they take this lock (an flock on
    /// <c>artifacts/e2e-bin.lock</c>, also across test processes) one at a time.</summary>
    public static async Task<IAsyncDisposable> AcquireBuildLockAsync(CancellationToken cancellationToken)
    {
        var artifacts = System.IO.Path.Combine(RepositoryRoot.Path, "artifacts");
        Directory.CreateDirectory(artifacts);
        var path = System.IO.Path.Combine(artifacts, "e2e-bin.lock");
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Linux, released if the process dies.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    private static async Task<string> PublishAsync()
    {
        using var timeout = new CancellationTokenSource(PublishTimeout);
        var output = System.IO.Path.Combine(RepositoryRoot.Path, "artifacts", "e2e-bin");
        return await PublishAsync(RuntimeIdentifier, output, timeout.Token);
    }

    /// <summary>A test host started by <c>dotnet test</c> inherits MSBuild's variables (for the
    /// test build); a nested <c>dotnet publish</c> must choose its own.</summary>
    private static Dictionary<string, string?> WithoutTestHostMsBuildVariables()
    {
        var variables = new Dictionary<string, string?>();
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name is "MSBUILD_EXE_PATH" or "DOTNET_HOST_PATH")
            {
                variables[name] = null;
            }
        }
        return variables;
    }
}

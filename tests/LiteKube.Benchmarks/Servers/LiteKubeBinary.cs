namespace LiteKube.Benchmarks.Servers;

/// <summary>Provides the litekube binary under test: the one given, or a fresh Release publish of this checkout.</summary>
public static class LiteKubeBinary
{
    public static async Task<string> PublishAsync(string repositoryRoot, string outputDirectory, CancellationToken cancellationToken)
    {
        // The same command a user runs, so we measure the shipped single file, not a Debug build.
        string[] arguments =
        [
            "publish", Path.Combine(repositoryRoot, "cmd", "litekube"),
            "-c", "Release", "-r", "linux-x64", "-o", outputDirectory, "--nologo",
        ];
        Console.Error.WriteLine($"bench: dotnet {string.Join(' ', arguments)}");
        var (exitCode, _) = await ChildCommand.RunAsync("dotnet", arguments, echo: true, cancellationToken);
        var binary = Path.Combine(outputDirectory, "litekube");
        if (exitCode != 0 || !File.Exists(binary))
        {
            throw new InvalidOperationException("publishing cmd/litekube failed (output above); or pass --litekube PATH");
        }

        return binary;
    }
}

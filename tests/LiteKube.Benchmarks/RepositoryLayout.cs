namespace LiteKube.Benchmarks;

/// <summary>Where the checkout is, so the benchmark can publish cmd/litekube and write RESULTS.md.</summary>
public static class RepositoryLayout
{
    public static string FindRoot()
    {
        // `dotnet run` starts us in the caller's directory; fall back to the build output's location.
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LiteKube.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("cannot find LiteKube.sln above the current directory; run from the checkout");
    }

    public static string DefaultResultsFile(string root) =>
        Path.Combine(root, "tests", "LiteKube.Benchmarks", "RESULTS.md");
}

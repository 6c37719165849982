namespace LiteKube.EndToEnd.Tests.Infrastructure;

/// <summary>The checkout the tests run from (the directory holding <c>LiteKube.sln</c>).</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "LiteKube.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no LiteKube.sln above {AppContext.BaseDirectory}");
    }
}

namespace LiteKube.Benchmarks;

/// <summary>A uniquely named directory that is deleted, with everything in it, on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    public string Path { get; }

    public static TempDirectory Create(string parent, string prefix)
    {
        Directory.CreateDirectory(parent);
        var path = System.IO.Path.Combine(parent, $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(path);
        return new TempDirectory(path);
    }

    public string Subdirectory(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException e)
        {
            // Never fail a run over cleanup, but say what was left behind.
            Console.Error.WriteLine($"bench: could not remove {Path}: {e.Message}");
        }
    }
}

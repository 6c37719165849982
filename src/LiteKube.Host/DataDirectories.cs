namespace LiteKube.Host;

/// <summary>Creates the data directory and proves it is writable before anything else uses it,
/// so that a bad <c>--data-dir</c> fails with its own message rather than as a datastore error.
/// The probe writes a file because permissions alone do not tell (root ignores them, a
/// read-only mount does not show in them).</summary>
internal static class DataDirectories
{
    public static void Prepare(string dataDirectory)
    {
        try
        {
            Directory.CreateDirectory(dataDirectory);
            var probe = Path.Combine(dataDirectory, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET reports "a parent is a file" (ENOTDIR) as a missing path; say what it is.
            var reason = FileAmongAncestors(dataDirectory) is { } file
                ? $"{file} is a file, not a directory"
                : ServerHost.OneLine(e.Message);
            throw new ServerStartupException(
                $"preparing data directory {dataDirectory}: {reason}; choose a writable --data-dir", e);
        }
    }

    private static string? FileAmongAncestors(string path)
    {
        for (var current = path; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (File.Exists(current))
            {
                return current;
            }
        }
        return null;
    }
}

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// Received snapshot payloads on disk: written to <c>snap-*.tmp</c> and renamed to
/// <c>snap-*.payload</c> only once whole, so a crash or a broken stream never leaves a file that
/// looks complete.
/// </summary>
internal static class SnapshotSpool
{
    public static string NewTempPath(string directory)
    {
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"snap-{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Renames a finished temp file to its final name and returns that name.</summary>
    public static string Complete(string tempPath)
    {
        var final = Path.ChangeExtension(tempPath, ".payload");
        File.Move(tempPath, final);
        return final;
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

namespace LiteKube.Host;

/// <summary>An exclusive lock on a data directory, held for the life of a server, so that a
/// second litekube process (or a second host in one process) on the same directory fails at
/// once with a clear message instead of corrupting or blocking on the datastore.</summary>
/// <remarks>.NET takes <c>flock(LOCK_EX | LOCK_NB)</c> for <see cref="FileShare.None"/> on Unix,
/// per open file, so the lock is released by the kernel when the process dies, even by SIGKILL.
/// The file holds the owner's pid for a person to read; its content is never trusted.</remarks>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "litekube.lock";

    private readonly FileStream stream;

    private DataDirectoryLock(FileStream stream) => this.stream = stream;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new ServerStartupException(
                $"locking data directory {dataDirectory}: it is in use by another litekube process; stop that process or choose another --data-dir", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"locking data directory {dataDirectory}: {ServerHost.OneLine(e.Message)}", e);
        }
        stream.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        stream.Write(pid);
        stream.Flush();
        return new DataDirectoryLock(stream);
    }

    public void Dispose() => stream.Dispose();
}

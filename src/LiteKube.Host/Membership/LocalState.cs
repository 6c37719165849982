namespace LiteKube.Host.Membership;

/// <summary>What a node keeps of its cluster in the data dir, wiped when it leaves so that the
/// machine can join again (or start a new cluster) from scratch.</summary>
internal static class LocalState
{
    private static readonly string[] Directories = ["db", "tls", "snapshots", "agent"];

    private static readonly string[] Files = [MemberIdentity.FileName, JoinedCluster.FileName, JoinedDatastore.FileName, "kubeconfig", LocalServerFile.FileName];

    public static void Wipe(string dataDirectory)
    {
        foreach (var directory in Directories.Select(d => Path.Combine(dataDirectory, d)).Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }

        foreach (var file in Files.Select(f => Path.Combine(dataDirectory, f)))
        {
            File.Delete(file);
        }
    }
}

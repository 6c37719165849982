using System.CommandLine;
using LiteKube.Host;
using LiteKube.Host.Settings;

namespace LiteKube.Cli;

/// <summary><c>litekube etcd-snapshot restore FILE</c>: puts a saved snapshot back as the
/// datastore of a stopped node. Snapshots are taken with <c>etcdctl snapshot save</c>.</summary>
public static class EtcdSnapshotCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "A snapshot saved with etcdctl snapshot save from a litekube server." };
        var dataDir = new Option<string>("--data-dir")
        {
            Description = $"The data directory to restore into; it must not hold a datastore yet (default {ServerSettingNames.DefaultDataDir}) [env LITEKUBE_DATA_DIR]",
            HelpName = "DIR",
        };
        var config = new Option<string>("--config")
        {
            Description = $"{ServerSettingNames.ConfigFile.Description} [env LITEKUBE_CONFIG]",
            HelpName = "PATH",
        };
        var restore = new Command("restore", "Restore a snapshot into the data directory of a stopped node.") { file, dataDir, config };
        restore.SetAction(async (parseResult, cancellationToken) =>
        {
            // The data directory resolves as the server's does: flag, then environment, then file.
            var flags = new Dictionary<string, string>();
            if (parseResult.GetValue(dataDir) is { } d)
            {
                flags[ServerSettingNames.DataDir] = d;
            }

            if (parseResult.GetValue(config) is { } c)
            {
                flags[ServerSettingNames.Config] = c;
            }

            var settings = ServerSettingsLoader.Load(flags, ServerCommand.LiteKubeEnvironment());
            if (settings.ExternalDatastore is not null)
            {
                // The data is in the external etcd, not under the data directory.
                throw new SettingsException(
                    $"etcd-snapshot restore: this node uses an {settings.DatastoreDescription} (--datastore-endpoint); restore that cluster with etcdctl snapshot restore instead");
            }

            var directory = settings.DataDirectory;
            RocksDbNativeLibrary.Load();
            var status = await SnapshotRestore.RestoreAsync(parseResult.GetValue(file)!, directory, cancellationToken);
            Console.WriteLine($"restored {parseResult.GetValue(file)} into {Path.Combine(Path.GetFullPath(directory), "db")} at revision {status.Revision}; start litekube server --data-dir {directory}");
            return ExitCodes.Success;
        });
        return new Command("etcd-snapshot", "Restore datastore snapshots.") { restore };
    }
}

using LiteKube.Host.Settings;

namespace LiteKube.Cli;

/// <summary>Which data directory <c>litekube kubectl</c> reads the kubeconfig from: the one the
/// server on this machine uses when started without flags, i.e. <c>LITEKUBE_DATA_DIR</c>, else
/// <c>data-dir</c> of the config file (<c>LITEKUBE_CONFIG</c>, else /etc/litekube/config.yaml
/// when it exists), else /var/lib/litekube.</summary>
public static class KubectlDataDirectory
{
    public static string Resolve(IReadOnlyDictionary<string, string> environment, string defaultConfigFile)
    {
        var dataDir = new SettingDefinition(ServerSettingNames.DataDir, "", "");
        if (environment.TryGetValue(dataDir.EnvironmentVariable, out var fromEnvironment) && fromEnvironment.Length > 0)
        {
            return Path.GetFullPath(fromEnvironment);
        }
        var config = ServerSettingNames.ConfigFile;
        var configFile = environment.TryGetValue(config.EnvironmentVariable, out var explicitConfig) && explicitConfig.Length > 0
            ? explicitConfig
            : File.Exists(defaultConfigFile) ? defaultConfigFile : null;
        if (configFile is not null && File.Exists(configFile))
        {
            var names = ServerSettingNames.All.Select(d => d.Name).ToArray();
            if (ConfigFileReader.Read(configFile, names).TryGetValue(ServerSettingNames.DataDir, out var fromFile) && fromFile.Length > 0)
            {
                return Path.GetFullPath(fromFile);
            }
        }
        return ServerSettingNames.DefaultDataDir;
    }
}

using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using LiteKube.Cluster.Membership;
using LiteKube.Host;
using LiteKube.Host.Membership;
using LiteKube.Host.Settings;

namespace LiteKube.Cli;

/// <summary>
/// <c>litekube join</c> on a machine where install.sh installed the server as a service (it
/// left <c>litekube-service.sh</c> next to this binary): the join goes into the service's config
/// file, the service restarts with it, and the command follows the node until it serves the API
/// and its datastore has caught up, as a person watching the install would.
/// </summary>
internal static class ServiceJoin
{
    public const string ScriptName = "litekube-service.sh";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>The service script next to this binary, or null when install.sh did not install it.</summary>
    public static string? FindScript()
    {
        var directory = Path.GetDirectoryName(Environment.ProcessPath);
        var script = directory is null ? null : Path.Combine(directory, ScriptName);
        return script is not null && File.Exists(script) ? script : null;
    }

    public static async Task<int> RunAsync(string script, JoinString join, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var paths = await PathsAsync(script, cancellationToken);
        var dataDirectory = paths["DATA_DIR"];
        var configFile = paths["CONFIG_FILE"];
        var logFile = paths["LOG_FILE"];
        if (LocalServerFile.HoldsMember(dataDirectory))
        {
            throw new SettingsException(
                $"the litekube service's data dir {dataDirectory} already holds a cluster member; run `litekube leave` to take this node out of its cluster first");
        }

        var text = File.Exists(configFile) ? await File.ReadAllTextAsync(configFile, cancellationToken) : "";
        var temporary = configFile + ".join.tmp";
        await File.WriteAllTextAsync(temporary, ConfigFileJoin.With(text, join), cancellationToken);
        File.Move(temporary, configFile, overwrite: true);
        Console.WriteLine($"Added the join to {configFile}; restarting the litekube service (log {logFile})");
        var restart = await RunScriptAsync(script, "restart", cancellationToken);
        if (restart.ExitCode != 0)
        {
            throw new SettingsException($"restarting the litekube service failed: {OneLine(restart.StandardError + restart.StandardOutput)}");
        }

        return await FollowAsync(script, dataDirectory, logFile, timeout, cancellationToken);
    }

    /// <summary>Prints each step once: the server serves the API, then its datastore member has
    /// caught up (lag 0) and its Node is Ready.</summary>
    private static async Task<int> FollowAsync(string script, string dataDirectory, string logFile, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var serving = false;
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(Poll, cancellationToken);
            var status = await TryStatusAsync(dataDirectory, cancellationToken);
            if (status is null)
            {
                if ((await RunScriptAsync(script, "status", cancellationToken)).ExitCode != 0)
                {
                    throw new SettingsException($"the litekube service stopped while joining; its log {logFile} says why");
                }

                continue;
            }

            var (cluster, node) = status.Value;
            if (!serving)
            {
                serving = true;
                Console.WriteLine($"Node {node} serves the Kubernetes API ({clock.Elapsed.TotalSeconds:0.0} s); catching up with the datastore");
            }

            var member = cluster.Voters.Concat(cluster.Standbys).FirstOrDefault(m => m.Name == node);
            var ready = cluster.Nodes.Any(n => n.Name == node && n.Ready);
            if (member is { Lag: 0 } && ready)
            {
                var role = cluster.Voters.Contains(member) ? "voter" : "standby";
                Console.WriteLine($"Node {node} joined: datastore {role}, caught up, Ready ({clock.Elapsed.TotalSeconds:0.0} s). See `litekube status`.");
                return ExitCodes.Success;
            }
        }

        throw new SettingsException($"the node did not finish joining within {timeout.TotalSeconds:0} s; the service keeps trying: see `litekube status` and {logFile}");
    }

    private static async Task<(ClusterStatus Cluster, string Node)?> TryStatusAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var node = LocalServerFile.ReadNodeName(dataDirectory);
        var (status, _) = await ClusterCommands.TryStatusAsync(dataDirectory, cancellationToken);
        return node is null || status is null ? null : (status, node); // not serving yet
    }

    private static async Task<Dictionary<string, string>> PathsAsync(string script, CancellationToken cancellationToken)
    {
        var result = await RunScriptAsync(script, "paths", cancellationToken);
        var paths = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        if (result.ExitCode != 0 || !paths.ContainsKey("DATA_DIR") || !paths.ContainsKey("CONFIG_FILE") || !paths.ContainsKey("LOG_FILE"))
        {
            throw new SettingsException($"{script} did not say where the service keeps its settings; run install.sh again to rewrite it");
        }

        return paths;
    }

    private static Task<BufferedCommandResult> RunScriptAsync(string script, string verb, CancellationToken cancellationToken) =>
        CliWrap.Cli.Wrap("/bin/sh").WithArguments([script, verb]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

using System.Collections;
using System.CommandLine;
using LiteKube.Cluster.Membership;
using LiteKube.Host;
using LiteKube.Host.Settings;

namespace LiteKube.Cli;

/// <summary><c>litekube server</c>: runs a control-plane node in the foreground until SIGTERM
/// or SIGINT, then stops gracefully.</summary>
public static class ServerCommand
{
    public static Command Build()
    {
        var command = new Command("server", "Run a LiteKube server: the Kubernetes API (HTTPS) over the embedded datastore, which is also served over the etcd v3 API.");
        var options = AddServerOptions(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, options, [], cancellationToken));
        return command;
    }

    /// <summary><c>litekube join HOST:PORT/TOKEN/CAHASH [server flags]</c>: where install.sh
    /// installed a litekube service, the join goes into its config and the service restarts
    /// (<see cref="ServiceJoin"/>); elsewhere the same as <c>litekube server --join …</c>, in
    /// the foreground.</summary>
    public static Command BuildJoin()
    {
        var command = new Command("join",
            "Join this machine to a cluster as a control-plane server: with a litekube service installed by install.sh, put the join in its config, restart it and wait until the node has joined; otherwise run the server in the foreground (the same as litekube server --join).");
        var target = new Argument<string>("join-string") { Description = "HOST:PORT/TOKEN/CAHASH, as printed by litekube add-node on a server of the cluster." };
        var timeout = new Option<string>("--timeout") { Description = "With an installed service: how long to wait for the node to join, e.g. 90s, 5m (default 3m).", HelpName = "DURATION" };
        command.Add(target);
        command.Add(timeout);
        var options = AddServerOptions(command, except: ServerSettingNames.Join);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var joinText = parseResult.GetValue(target)!;
            if (ServiceJoin.FindScript() is not { } script)
            {
                return await RunAsync(parseResult, options, new Dictionary<string, string> { [ServerSettingNames.Join] = joinText }, cancellationToken);
            }

            var given = options.Where(o => parseResult.GetResult(o.Value) is not null).Select(o => o.Value.Name).ToList();
            if (given.Count > 0)
            {
                throw new SettingsException(
                    $"{string.Join(", ", given)}: this machine runs litekube as a service (installed by install.sh); put server settings in its config file ({ServerSettingNames.DefaultConfigFile} unless installed elsewhere), then run `litekube join {joinText}`");
            }

            JoinString join;
            try
            {
                join = JoinString.Parse(joinText);
            }
            catch (FormatException e)
            {
                throw new SettingsException($"join string: {e.Message}", e);
            }

            var wait = parseResult.GetValue(timeout) is { } t ? DurationText.Parse(t, "--timeout") : ServiceJoin.DefaultTimeout;
            return await ServiceJoin.RunAsync(script, join, wait, cancellationToken);
        });
        return command;
    }

    private static Dictionary<string, Option<string>> AddServerOptions(Command command, string? except = null)
    {
        var options = new Dictionary<string, Option<string>>();
        foreach (var definition in ServerSettingNames.All.Append(ServerSettingNames.ConfigFile).Where(d => d.Name != except))
        {
            var option = new Option<string>(definition.Flag)
            {
                Description = $"{definition.Description} [env {definition.EnvironmentVariable}]",
                HelpName = definition.ValueName,
            };
            options[definition.Name] = option;
            command.Add(option);
        }
        return options;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, Dictionary<string, Option<string>> options, Dictionary<string, string> extra,
        CancellationToken cancellationToken)
    {
        // Before the server starts its threads: each would otherwise get an arena of its own.
        MallocArenas.Limit();

        // Only flags that were given: an absent flag must let the environment or file decide.
        var flags = options
            .Where(option => parseResult.GetResult(option.Value) is not null)
            .ToDictionary(option => option.Key, option => parseResult.GetValue(option.Value) ?? "");
        foreach (var (name, value) in extra)
        {
            flags[name] = value;
        }

        var settings = ServerSettingsLoader.Load(flags, LiteKubeEnvironment());

        using var signals = new ShutdownSignals();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping);
        using var loggerFactory = ConsoleLogging.CreateLoggerFactory();
        RocksDbNativeLibrary.Load();

        ServerHost host;
        try
        {
            host = await ServerHost.StartAsync(settings, loggerFactory, TimeProvider.System, linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            return ExitCodes.Success; // asked to stop while starting
        }
        await using (host)
        {
            // A node that left the cluster stops itself (and wipes its data on the way out).
            using var stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, host.StopRequested);
            await signals.WaitAsync(stopped.Token);
            await host.StopAsync();
        }
        return ExitCodes.Success;
    }

    internal static Dictionary<string, string> LiteKubeEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("LITEKUBE_", StringComparison.Ordinal) && entry.Value is string value)
            {
                environment[name] = value;
            }
        }
        return environment;
    }
}

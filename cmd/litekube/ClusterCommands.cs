using System.CommandLine;
using System.Text.Json;
using LiteKube.Cluster.Membership;
using LiteKube.Host.Membership;
using LiteKube.Host.Settings;

namespace LiteKube.Cli;

/// <summary>The verbs that change or show the cluster through the server on this machine:
/// <c>add-node</c>, <c>status</c>, <c>leave</c>, <c>remove-node</c>. Each finds that server
/// through its data dir (<c>--data-dir</c>, else as <c>litekube kubectl</c> does).</summary>
public static class ClusterCommands
{
    public static IEnumerable<Command> Build() => [AddNode(), Status(), Leave(), RemoveNode()];

    private static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = $"Data directory of the server on this machine (default: LITEKUBE_DATA_DIR, the config file's data-dir, else {ServerSettingNames.DefaultDataDir}).",
        HelpName = "DIR",
    };

    private static Option<string> FormatOption(params string[] formats) => new Option<string>("--format")
    {
        Description = $"Output format: {string.Join('|', formats)}.",
        DefaultValueFactory = _ => formats[0],
    }.AcceptOnlyFromAmong(formats);

    private static string DataDirectory(ParseResult parseResult, Option<string> option) =>
        parseResult.GetValue(option) is { Length: > 0 } explicitDirectory
            ? Path.GetFullPath(explicitDirectory)
            : KubectlDataDirectory.Resolve(ServerCommand.LiteKubeEnvironment(), ServerSettingNames.DefaultConfigFile);

    private static Command AddNode()
    {
        var dataDir = DataDirOption();
        var ttl = new Option<string>("--ttl") { Description = "How long the token is valid, e.g. 30m, 2h, 1d (default 1h).", HelpName = "DURATION" };
        var reusable = new Option<bool>("--reusable") { Description = "Keep the token for further joins until it expires (default: one join)." };
        var worker = new Option<bool>("--worker") { Description = "A token for worker nodes only: it cannot add a control-plane node." };
        var format = FormatOption("text", "json");
        var command = new Command("add-node", "Print a join command for a new node: a token (one join, 1 h unless told otherwise) and the cluster CA's hash.")
            { dataDir, ttl, reusable, worker, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var lifetime = parseResult.GetValue(ttl) is { } text ? DurationText.Parse(text, "--ttl") : TokenRequest.DefaultTtl;
            var (client, address) = LocalServerClient.Connect(DataDirectory(parseResult, dataDir));
            using (client)
            {
                var role = parseResult.GetValue(worker) ? JoinRole.Worker : JoinRole.ControlPlane;
                var token = await client.PostAsync(address, ClusterApiPaths.Tokens, new TokenRequest(role, (long)lifetime.TotalSeconds, parseResult.GetValue(reusable)),
                    ClusterApiJson.Default.TokenRequest, ClusterApiJson.Default.TokenResponse, cancellationToken);
                var joins = token.Addresses.Select(a => JoinString.For(JoinString.ParseAddress(a).Host, JoinString.ParseAddress(a).Port, token.Token, token.CaHash).ToString()).ToList();
                if (parseResult.GetValue(format) == "json")
                {
                    Console.WriteLine(JsonSerializer.Serialize(new JoinCommands(token.Token, token.Expires, token.CaHash, joins), ClusterApiJson.Default.JoinCommands));
                    return ExitCodes.Success;
                }

                Console.WriteLine($"From the node you want to add, run one of these ({(parseResult.GetValue(reusable) ? "usable until" : "one join, valid until")} {token.Expires.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}):");
                Console.WriteLine();
                foreach (var join in joins)
                {
                    Console.WriteLine($"litekube join {join}{(role == JoinRole.Worker ? " --worker" : "")}");
                }

                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static Command Status()
    {
        var dataDir = DataDirOption();
        var format = FormatOption("text", "json", "yaml");
        var waitReady = new Option<bool>("--wait-ready") { Description = "Wait until the server runs, the datastore has a leader and this node is Ready." };
        var timeout = new Option<string>("--timeout") { Description = "How long --wait-ready waits, e.g. 60s, 5m (default 5m).", HelpName = "DURATION" };
        var command = new Command("status", "Show whether the cluster runs and is highly available: datastore voters and standbys, nodes.") { dataDir, format, waitReady, timeout };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var directory = DataDirectory(parseResult, dataDir);
            var deadline = DateTimeOffset.UtcNow + (parseResult.GetValue(timeout) is { } t ? DurationText.Parse(t, "--timeout") : TimeSpan.FromMinutes(5));
            while (true)
            {
                var (status, problem) = await TryStatusAsync(directory, cancellationToken);
                // This node, as the option says: on a joining node another node's Ready proves nothing.
                var node = LocalServerFile.ReadNodeName(directory);
                var ready = status is not null && status.Leader is not null && status.Nodes.Any(n => n.Ready && (node is null || n.Name == node));
                if (!parseResult.GetValue(waitReady) || ready || DateTimeOffset.UtcNow >= deadline)
                {
                    if (status is null)
                    {
                        Console.WriteLine($"litekube is not running: {problem}");
                        return ExitCodes.Failure;
                    }

                    Console.Write(parseResult.GetValue(format) switch
                    {
                        "json" => JsonSerializer.Serialize(status, ClusterApiJson.Default.ClusterStatus) + Environment.NewLine,
                        "yaml" => StatusText.Yaml(status),
                        _ => StatusText.Render(status),
                    });
                    return parseResult.GetValue(waitReady) && !ready ? ExitCodes.Failure : ExitCodes.Success;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        });
        return command;
    }

    /// <summary>The local server's status, or why there is none (not running, not answering).</summary>
    internal static async Task<(ClusterStatus? Status, string? Problem)> TryStatusAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        try
        {
            var (client, address) = LocalServerClient.Connect(dataDirectory);
            using (client)
            {
                return (await client.GetAsync(address, ClusterApiPaths.Status, ClusterApiJson.Default.ClusterStatus, cancellationToken), null);
            }
        }
        catch (Exception e) when (e is SettingsException or ClusterApiException)
        {
            return (null, e.Message);
        }
    }

    private static Command Leave()
    {
        var dataDir = DataDirOption();
        var force = new Option<bool>("--force") { Description = "Leave even if this node is the datastore's last voter (that destroys the cluster)." };
        var command = new Command("leave", "Take this node out of its cluster: hand its datastore role to another node, stop it and wipe its cluster data.") { dataDir, force };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var directory = DataDirectory(parseResult, dataDir);
            var (client, address) = LocalServerClient.Connect(directory);
            using (client)
            {
                var answer = await client.PostAsync(address, ClusterApiPaths.Leave + (parseResult.GetValue(force) ? "?force=true" : ""), new DepartureRequest(""),
                    ClusterApiJson.Default.DepartureRequest, ClusterApiJson.Default.ClusterApiError, cancellationToken);
                // The server stops and wipes on its own; wait for it so that the next command finds it gone.
                var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
                while (File.Exists(LocalServerFile.PathIn(directory)) && DateTimeOffset.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                }

                Console.WriteLine($"{answer.Message}; its datastore and credentials are wiped and it can join a cluster again");
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static Command RemoveNode()
    {
        var dataDir = DataDirOption();
        var name = new Argument<string>("name") { Description = "The node to forget." };
        var force = new Option<bool>("--force") { Description = "Remove it even if it did not leave (its machine is gone)." };
        var command = new Command("remove-node", "Forget a node that left the cluster (or, with --force, one whose machine is gone).") { name, dataDir, force };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (client, address) = LocalServerClient.Connect(DataDirectory(parseResult, dataDir));
            using (client)
            {
                var answer = await client.PostAsync(address, ClusterApiPaths.RemoveNode, new RemoveNodeRequest(parseResult.GetValue(name)!, parseResult.GetValue(force)),
                    ClusterApiJson.Default.RemoveNodeRequest, ClusterApiJson.Default.ClusterApiError, cancellationToken);
                Console.WriteLine(answer.Message);
                return ExitCodes.Success;
            }
        });
        return command;
    }
}

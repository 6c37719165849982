using System.CommandLine;
using System.CommandLine.Help;
using LiteKube.Cluster.Membership;
using LiteKube.Host;
using LiteKube.Host.Settings;

namespace LiteKube.Cli;

/// <summary>The verbs and how failures reach a person: every error is one line on stderr,
/// <c>litekube: &lt;what failed and what to do&gt;</c>, with a non-zero exit; never a stack
/// trace.</summary>
public static class LiteKubeCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == KubectlCommand.Name)
        {
            // Before parsing: kubectl's flags are kubectl's, not ours.
            try
            {
                return await KubectlCommand.RunAsync(args[1..]);
            }
            catch (SettingsException e)
            {
                await Console.Error.WriteLineAsync($"litekube kubectl: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"litekube kubectl: unexpected error ({e.GetType().Name}): {OneLine(e.Message)}; please report it");
                return ExitCodes.Failure;
            }
        }

        var root = BuildRootCommand();
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var commandPath = parseResult.CommandResult.Command is RootCommand ? "litekube" : $"litekube {parseResult.CommandResult.Command.Name}";
            var message = OneLine(parseResult.Errors[0].Message);
            await Console.Error.WriteLineAsync($"litekube: {LowerFirst(message)}; run '{commandPath} --help' for usage");
            return ExitCodes.Usage;
        }

        try
        {
            // Signals are handled by the verbs (a server stops gracefully, which may take
            // longer than System.CommandLine's termination timeout would allow).
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parseResult.InvokeAsync(invocation);
        }
        catch (Exception e) when (e is SettingsException or ServerStartupException or ClusterApiException or FormatException)
        {
            await Console.Error.WriteLineAsync($"litekube: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"litekube: unexpected error ({e.GetType().Name}): {OneLine(e.Message)}; please report it");
            return ExitCodes.Failure;
        }
    }

    private static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("LiteKube: a lightweight Kubernetes distribution in one binary.");
        var version = root.Options.OfType<VersionOption>().Single();
        version.Action = new PrintVersionAction();
        root.SetAction(parseResult =>
        {
            // No verb: show what there is, like kubectl does.
            new HelpAction().Invoke(parseResult);
            return ExitCodes.Success;
        });
        root.Add(ServerCommand.Build());
        root.Add(ServerCommand.BuildJoin());
        foreach (var command in ClusterCommands.Build())
        {
            root.Add(command);
        }

        root.Add(EtcdSnapshotCommand.Build());
        root.Add(KubectlCommand.BuildForHelp());
        return root;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}

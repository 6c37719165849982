using LiteKube.Benchmarks.Report;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Membership;

/// <summary>
/// The membership suite: published <c>litekube server</c> processes grown and shrunk the way a
/// person does (<c>add-node</c>, <c>server --join</c>, kill -9, restart), timing join, standby
/// promotion and failover. Prints the table and records it as the membership section of RESULTS.md.
/// </summary>
public static class MembershipBenchmark
{
    public static readonly string[] Scenarios = ["join", "promotion", "failover"];

    /// <summary>Every promotion run waits out the 30 s grace: stop after this much (at least 5 runs).</summary>
    private static readonly TimeSpan PromotionBudget = TimeSpan.FromMinutes(8);

    private static readonly int[] Ports = [MemberNode.EtcdPort, MemberNode.ApiPort, MemberNode.ClusterPort];

    public static async Task<int> RunAsync(BenchmarkOptions options, string root, string command, CancellationToken cancellationToken)
    {
        var selected = Scenarios.Where(s => options.Only.Count == 0 || options.Only.Any(o => s.StartsWith(o, StringComparison.OrdinalIgnoreCase))).ToList();
        if (selected.Count == 0)
        {
            throw new InvalidOperationException($"no scenario of the membership suite ({string.Join(", ", Scenarios)}) matches --only {string.Join(", ", options.Only)}");
        }

        var addresses = options.MembershipAddresses;
        LoopbackPort.EnsureFree(addresses, Ports, "--membership-cluster");
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        using var temp = TempDirectory.Create(options.WorkDirectory, "litekube-bench-membership");
        var binary = options.LiteKubeBinary ?? await LiteKubeBinary.PublishAsync(root, temp.Subdirectory("publish"), cancellationToken);
        var extract = temp.Subdirectory("bundle");
        var version = await new LiteKubeServer(binary, addresses[0], extract).DescribeVersionAsync(cancellationToken);
        var cli = new LiteKubeCli(binary, extract);
        Console.Error.WriteLine($"bench: membership ({string.Join(", ", selected)}; {options.Runs} runs each); load average {loadBefore}; {version}");

        JoinFigures? join = null;
        PromotionFigures? promotion = null;
        DurationSamples? failover = null;
        if (selected.Contains("join"))
        {
            join = await JoinScenario.RunAsync(cli, addresses, temp.Subdirectory("join"), options.Runs, cancellationToken);
        }

        if (selected.Contains("failover"))
        {
            failover = await FailoverScenario.RunAsync(cli, addresses, temp.Subdirectory("failover"), options.Runs, cancellationToken);
        }

        if (selected.Contains("promotion"))
        {
            promotion = await PromotionScenario.RunAsync(cli, addresses, temp.Subdirectory("promotion"), options.Runs, PromotionBudget, cancellationToken);
        }

        var run = new MembershipRun(startedAt, command, MachineInfo.Collect(temp.Path), loadBefore, MachineInfo.LoadAverage(), MachineInfo.NiceValue(),
            $"{version}, the published single-file `litekube server` (embedded replicated datastore), default Raft timing",
            string.Join(", ", addresses));
        var report = MembershipReport.Render(run, new MembershipFigures(join, promotion, failover));
        Console.Out.Write(report);
        if (options.WriteResults)
        {
            var file = options.ResultsFile ?? RepositoryLayout.DefaultResultsFile(root);
            await ResultsSections.WriteAsync(file, "membership", report, cancellationToken);
            Console.Error.WriteLine($"bench: wrote the membership section of {file}");
        }

        return 0;
    }
}

using System.Globalization;
using LiteKube.Benchmarks.Measurement;
using LiteKube.Benchmarks.Report;
using LiteKube.Benchmarks.Servers;
using LiteKube.Benchmarks.Workloads;

namespace LiteKube.Benchmarks;

/// <summary>
/// Runs a suite: for each workload and each target (litekube, then etcd), starts a fresh server
/// on its own loopback address and data dir, runs the workload, stops the server; finally renders
/// one table. Servers and temp dirs are always cleaned up, on failure and on Ctrl-C too.
/// </summary>
public static class BenchmarkRunner
{
    private const string CommandPrefix = "dotnet run -c Release --project tests/LiteKube.Benchmarks --";

    public static async Task<int> MainAsync(string[] args)
    {
        if (args is ["--help"] or ["-h"] || args.Contains("--help"))
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return 0;
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
            if (options.Suite is not ("api" or "membership"))
            {
                _ = WorkloadSuite.Get(options.Suite);
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"bench: {e.Message}");
            Console.Error.WriteLine(BenchmarkOptions.Usage);
            return 2;
        }

        using var shutdown = new ShutdownSignal();
        try
        {
            return await RunAsync(options, shutdown.Token);
        }
        catch (Exception) when (shutdown.Token.IsCancellationRequested)
        {
            // Whatever broke after the signal (a server killed by the same Ctrl-C, a cancelled call)
            // is a consequence of it, not a finding.
            Console.Error.WriteLine("bench: interrupted; servers stopped and temp dirs removed");
            return 130;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"bench: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            // A bug in the benchmark itself: the stack trace is what its author needs.
            Console.Error.WriteLine($"bench: failed: {e}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var root = RepositoryLayout.FindRoot();
        if (options.Suite == "api")
        {
            return await Api.ApiBenchmark.RunAsync(options, root, Command(options), cancellationToken);
        }

        if (options.Suite == "membership")
        {
            return await Membership.MembershipBenchmark.RunAsync(options, root, Command(options), cancellationToken);
        }
        var workloads = WorkloadSuite.Get(options.Suite)
            .Where(w => options.Only.Count == 0 || options.Only.Any(o => w.Name.StartsWith(o, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (workloads.Count == 0)
        {
            throw new InvalidOperationException($"no workload of suite {options.Suite} matches --only {string.Join(", ", options.Only)}");
        }

        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        using var temp = TempDirectory.Create(options.WorkDirectory, "litekube-bench");
        var launchers = await CreateLaunchersAsync(options, root, temp, cancellationToken);
        var versions = new List<string>();
        foreach (var launcher in launchers)
        {
            versions.Add(await launcher.DescribeVersionAsync(cancellationToken));
        }

        versions.Add($".NET {Environment.Version} (load generator)");
        Console.Error.WriteLine($"bench: load average {loadBefore}, nice {MachineInfo.NiceValue()}; {string.Join("; ", versions)}");

        var outcomes = new List<WorkloadOutcome>();
        for (var i = 0; i < workloads.Count; i++)
        {
            outcomes.AddRange(await RunWorkloadAsync(workloads[i], launchers, options, temp.Subdirectory($"w{i}"), cancellationToken));
            Directory.Delete(Path.Combine(temp.Path, $"w{i}"), recursive: true);
        }

        var run = new RunDescription(
            options.Suite,
            startedAt,
            Command(options),
            MachineInfo.Collect(temp.Path),
            loadBefore,
            MachineInfo.LoadAverage(),
            MachineInfo.NiceValue(),
            versions,
            Method(options));
        var report = ResultsReport.Render(run, outcomes);
        Console.Out.Write(report);
        if (options.WriteResults)
        {
            var file = options.ResultsFile ?? RepositoryLayout.DefaultResultsFile(root);
            await ResultsSections.WriteAsync(file, options.Suite, report, cancellationToken);
            Console.Error.WriteLine($"bench: wrote the {options.Suite} section of {file}");
        }

        return outcomes.Any(o => o.Failure is not null) ? 1 : 0;
    }

    private static async Task<List<IServerLauncher>> CreateLaunchersAsync(
        BenchmarkOptions options, string root, TempDirectory temp, CancellationToken cancellationToken)
    {
        var launchers = new List<IServerLauncher>();
        foreach (var target in options.Targets)
        {
            var cluster = options.Suite == "cluster";
            if (target == "litekube")
            {
                var binary = options.LiteKubeBinary
                    ?? await LiteKubeBinary.PublishAsync(root, temp.Subdirectory("publish"), cancellationToken);
                var single = new LiteKubeServer(binary, options.LiteKubeAddress, temp.Subdirectory("bundle"));
                launchers.Add(cluster ? new LiteKubeCluster(single, binary, options.LiteKubeClusterAddresses, temp.Subdirectory("bundle")) : single);
            }
            else
            {
                var single = new EtcdServer(options.EtcdBinary, options.EtcdAddress);
                launchers.Add(cluster ? new EtcdCluster(single, options.EtcdBinary, options.EtcdClusterAddresses) : single);
            }
        }

        return launchers;
    }

    /// <summary>
    /// Runs the workload against each target in turn, each on a freshly started server that is
    /// stopped right after its turn: no workload inherits another's data or history, and no
    /// server's background work (flushes, compaction, GC) lands in the other's measurement.
    /// With several rounds the order alternates (A B, B A, A B, …) so a drift in machine load
    /// weighs on both sides alike, and each figure is the median over the rounds.
    /// </summary>
    private static async Task<List<WorkloadOutcome>> RunWorkloadAsync(
        IWorkload workload, List<IServerLauncher> launchers, BenchmarkOptions options, string workDirectory, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"bench: {workload.Name}");
        var rounds = launchers.ToDictionary(l => l.Name, _ => new List<WorkloadOutcome>());
        for (var round = 0; round < options.Rounds; round++)
        {
            var order = round % 2 == 0 ? launchers : Enumerable.Reverse(launchers).ToList();
            foreach (var launcher in order)
            {
                var directory = Path.Combine(workDirectory, $"{launcher.Name}-{round}");
                try
                {
                    rounds[launcher.Name].Add(await RunOnFreshServerAsync(workload, launcher, options, directory, cancellationToken));
                }
                finally
                {
                    // Free the disk now: the memory workload leaves ~100-300 MB per server behind.
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory, recursive: true);
                    }
                }
            }
        }

        return launchers.Select(l => RoundMedian.Combine(rounds[l.Name])).ToList();
    }

    private static async Task<WorkloadOutcome> RunOnFreshServerAsync(
        IWorkload workload, IServerLauncher launcher, BenchmarkOptions options, string workDirectory, CancellationToken cancellationToken)
    {
        IBenchmarkServer server;
        try
        {
            server = await launcher.StartAsync(workDirectory, cancellationToken);
        }
        catch (InvalidOperationException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(workload, launcher.Name, $"could not start: {e.Message}");
        }

        await using (server)
        {
            try
            {
                var context = new WorkloadContext(server, options);
                List<Diagnostic> warmup = [];
                if (workload.NeedsSettledServer)
                {
                    warmup.Add(await StartupSettle.WaitAsync(server, workload.Name, cancellationToken));
                }
                if (workload.NeedsWarmServer)
                {
                    warmup.AddRange(await ServerWarmup.RunAsync(context, workload.Name, cancellationToken));
                }
                var outcome = await workload.RunAsync(context, cancellationToken);
                outcome = outcome with { Diagnostics = [.. outcome.Diagnostics, .. warmup] };
                Console.Error.WriteLine($"  {server.Name,-9} {string.Join("  ", outcome.Figures.Select(f => $"{f.Metric} {f.FormattedValue}"))}");
                return outcome;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return Fail(workload, server.Name, $"{e.GetType().Name}: {e.Message}\n  last log lines:\n{server.LogTail()}");
            }
        }
    }

    private static WorkloadOutcome Fail(IWorkload workload, string server, string failure)
    {
        Console.Error.WriteLine($"  {server,-9} FAILED: {failure}");
        return WorkloadOutcome.Failed(workload.Name, server, failure);
    }

    private static string Method(BenchmarkOptions options)
    {
        var rounds = options.Rounds > 1
            ? FormattableString.Invariant($"{options.Rounds} rounds per target in alternating order, each figure the median of its rounds; ")
            : "";
        return "each workload runs on a freshly started server with an empty data dir, one server running at a time " +
            "(litekube then etcd), through the same load generator in the same process; " +
            "each server first settles (its CPU falls below 0.15 core per member: a litekube member's Kubernetes API server bootstraps after the etcd API serves); " +
            FormattableString.Invariant($"before each throughput or latency workload {options.ServerWarmup.TotalSeconds:0.#} s of mixed put/range/watch load from 16 clients brings the fresh server to steady state (JIT), then ") +
            FormattableString.Invariant($"{options.Warmup.TotalSeconds:0.#} s of the workload unrecorded and {options.Duration.TotalSeconds:0.#} s measured; ") +
            rounds +
            "one gRPC channel (HTTP/2 connection) per client, closed loop; latency per request by Stopwatch, " +
            "percentiles by nearest rank over every sample";
    }

    private static string Command(BenchmarkOptions options) =>
        (MachineInfo.NiceValue() is var nice and not 0 ? $"nice -n {nice} " : "") +
        $"{CommandPrefix} {string.Join(' ', options.RawArguments.Select(Quote))}";

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,".Contains(c)) ? argument : $"'{argument}'";
}

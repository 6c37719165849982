using System.Diagnostics;
using LiteKube.Benchmarks.Report;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Api;

/// <summary>
/// The api suite: one fresh <c>litekube server</c>, loaded with pods, then churned while reads and
/// watchers measure it; memory idle before and after. Prints the table and records it as the api
/// section of RESULTS.md.
/// </summary>
public static class ApiBenchmark
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(BenchmarkOptions options, string root, string command, CancellationToken cancellationToken)
    {
        var size = options.Quick ? ApiBenchmarkSize.Quick : ApiBenchmarkSize.Full;
        if (options.DurationSet)
        {
            size = size with { ChurnDuration = options.Duration };
        }

        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        using var temp = TempDirectory.Create(options.WorkDirectory, "litekube-bench-api");
        var binary = options.LiteKubeBinary ?? await LiteKubeBinary.PublishAsync(root, temp.Subdirectory("publish"), cancellationToken);
        var version = await new LiteKubeServer(binary, options.LiteKubeAddress, temp.Subdirectory("bundle")).DescribeVersionAsync(cancellationToken);
        Console.Error.WriteLine($"bench: api ({size.Describe()}); {version}");

        var (server, http) = await ApiServerLauncher.StartAsync(binary, options.LiteKubeAddress, temp.Subdirectory("server"), temp.Subdirectory("bundle"), cancellationToken);
        ApiFigures figures;
        await using (server)
        using (http)
        {
            figures = await MeasureAsync(server, http, size, cancellationToken);
        }

        var run = new ApiRunDescription(size, startedAt, command, MachineInfo.Collect(temp.Path), loadBefore, MachineInfo.LoadAverage(), MachineInfo.NiceValue(),
            $"{version}, the published single-file `litekube server` (RocksDB datastore, HTTPS on {options.LiteKubeAddress}:{ApiServerLauncher.ApiPort}), fresh data dir; load generator .NET {Environment.Version} in another process");
        var report = ApiReport.Render(run, figures);
        Console.Out.Write(report);
        if (options.WriteResults)
        {
            var file = options.ResultsFile ?? RepositoryLayout.DefaultResultsFile(root);
            await ResultsSections.WriteAsync(file, "api", report, cancellationToken);
            Console.Error.WriteLine($"bench: wrote the api section of {file}");
        }

        return figures.Failures == 0 && figures.BrokenWatches == 0 ? 0 : 1;
    }

    private static async Task<ApiFigures> MeasureAsync(ServerProcess server, AdminHttp http, ApiBenchmarkSize size, CancellationToken cancellationToken)
    {
        await Task.Delay(size.IdleSettle, cancellationToken);
        var freshIdle = server.ReadMemory();
        Console.Error.WriteLine($"  idle RSS {freshIdle.Rss / 1048576.0:0.0} MiB; loading {size.Pods:N0} pods");

        using var requests = http.Create(maxConnections: 64);
        var calls = new ApiCalls(requests);
        var workload = new ApiWorkload(calls, requests, size);
        await workload.LoadAsync(cancellationToken);
        Console.Error.WriteLine($"  loaded in {workload.LoadDuration.TotalSeconds:0.0} s ({calls.Failures} failed); opening {size.Watchers:N0} watches");

        using var watchClient = http.Create(maxConnections: size.Watchers + 1);
        var fanOut = await WatchFanOut.StartAsync(watchClient, size.Watchers, size.Namespaces, await workload.CurrentResourceVersionAsync(cancellationToken), cancellationToken);
        var peak = MemoryUsage.Zero;
        double cpuPercent;
        await using (fanOut)
        {
            Console.Error.WriteLine($"  churn: {size.WritesPerSecond:0} writes/s for {size.ChurnDuration.TotalSeconds:0} s");
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    var now = server.ReadMemory();
                    peak = now.Rss > peak.Rss ? now : peak;
                    await Task.Delay(OneSecond, sampling.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }, CancellationToken.None);
            var cpuBefore = server.ReadCpuTimes();
            var churnStarted = Stopwatch.GetTimestamp();
            await workload.ChurnAsync(cancellationToken);
            // Let the last writes' events reach every watcher before the watches close.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            cpuPercent = (server.ReadCpuTimes() - cpuBefore).Total / Stopwatch.GetElapsedTime(churnStarted) * 100;
            await sampling.CancelAsync();
            await sampler;
        }

        await Task.Delay(size.IdleSettle, cancellationToken);
        var loadedIdle = server.ReadMemory();
        var slo1 = TimeSpan.FromSeconds(1);
        const string single = "1 s (single object)";
        return new ApiFigures(
            [
                new(workload.LoadCreates.Name, workload.LoadCreates.Summarize(), slo1, single),
                new(workload.ChurnCreates.Name, workload.ChurnCreates.Summarize(), slo1, single),
                new(workload.ChurnUpdates.Name, workload.ChurnUpdates.Summarize(), slo1, single),
                new(workload.ChurnDeletes.Name, workload.ChurnDeletes.Summarize(), slo1, single),
                new(workload.Gets.Name, workload.Gets.Summarize(), slo1, single),
                new($"{workload.NamespaceLists.Name} ({size.PodsPerNamespace} pods)", workload.NamespaceLists.Summarize(), TimeSpan.FromSeconds(5), "5 s (namespace list)"),
                new($"{workload.ClusterLists.Name} (~{size.Pods:N0} pods)", workload.ClusterLists.Summarize(), TimeSpan.FromSeconds(30), "30 s (cluster-wide list)"),
                new($"watch event delivery ({size.Watchers:N0} watchers)", fanOut.Summarize(), null, "none (upstream's watch latency SLO is work in progress)"),
            ],
            freshIdle,
            loadedIdle,
            peak,
            cpuPercent,
            workload.LoadDuration,
            fanOut.Events,
            fanOut.Broken,
            fanOut.OpenRetries,
            calls.Failures,
            calls.FirstFailure);
    }
}

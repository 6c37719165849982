using System.Diagnostics;
using System.Globalization;
using LiteKube.Benchmarks.Measurement;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Waits until a freshly started server has finished starting up: its process tree uses less
/// than <see cref="QuietCoresPerMember"/> of a core per member over one <see cref="Window"/>, or
/// <see cref="Limit"/> passed. A litekube member serves the etcd API (and says it is ready)
/// while its Kubernetes API server is still bootstrapping (default RBAC, namespaces, controllers);
/// on a 2-core machine three members doing that at once used most of the CPU for ~20 s, so a
/// workload measured then was measuring the bootstrap. etcd settles at once; both get the same
/// rule, and the time it took is reported.
/// </summary>
public static class StartupSettle
{
    private const double QuietCoresPerMember = 0.15;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<Diagnostic> WaitAsync(IBenchmarkServer server, string workload, CancellationToken cancellationToken)
    {
        var members = server is IBenchmarkCluster cluster ? cluster.Members.Count : 1;
        var started = Stopwatch.GetTimestamp();
        double cores;
        do
        {
            var meter = CpuMeter.Start(server);
            await Task.Delay(Window, cancellationToken);
            cores = meter.Stop().ServerCores;
        }
        while (cores > QuietCoresPerMember * members && Stopwatch.GetElapsedTime(started) < Limit);

        var waited = Stopwatch.GetElapsedTime(server.ReadyTimestamp).TotalSeconds;
        var settled = cores <= QuietCoresPerMember * members ? "" : " (not quiet: gave up)";
        return new Diagnostic(workload, "startup settled (s after ready, CPU below 0.15 core per member)",
            waited.ToString("0.0", CultureInfo.InvariantCulture) + settled);
    }
}

using System.Diagnostics;
using LiteKube.Datastore.Tests.Recording;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>
/// Load and faults together: the load generator runs against the cluster's clients while the
/// faults are applied one after another, with quiet periods between them; the load stops after
/// the last quiet period, the final read and the watchers settle, and the run is returned for
/// <see cref="RunCheck"/>.
/// </summary>
public static class FaultRun
{
    public static async Task<(LoadRun Run, IReadOnlyList<string> Timeline)> RunAsync(
        IFaultCluster cluster, IReadOnlyList<Fault> faults, LoadOptions load, TimeSpan quiet, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource();
        var timeline = new List<string>();
        var clock = Stopwatch.StartNew();
        var loadTask = LoadGenerator.RunAsync(cluster.Clients, load with { Duration = TimeSpan.FromHours(1), MaxOperations = int.MaxValue },
            cancellationToken, done.Task);
        try
        {
            foreach (var fault in faults)
            {
                await Task.Delay(quiet, cancellationToken);
                var started = clock.Elapsed;
                await fault.RunAsync(cluster, cancellationToken);
                timeline.Add($"{started.TotalSeconds:0.0}-{clock.Elapsed.TotalSeconds:0.0} s: {fault.Name}");
            }
            await Task.Delay(quiet, cancellationToken);
        }
        finally
        {
            done.TrySetResult();
        }
        var run = await loadTask;
        return (run, timeline);
    }

    /// <summary><c>LITEKUBE_FAULT_ROUNDS</c>: how many times a test runs its schedule (the
    /// documented longer run). Each round is its own history, checked on its own: one history of
    /// all rounds outgrows the checker's step budget after about three partition rounds.</summary>
    public static int Rounds =>
        int.TryParse(Environment.GetEnvironmentVariable("LITEKUBE_FAULT_ROUNDS"), out var n) && n > 0 ? n : 1;
}

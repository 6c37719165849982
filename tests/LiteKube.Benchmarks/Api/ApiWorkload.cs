using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace LiteKube.Benchmarks.Api;

/// <summary>
/// The phases of an api run against a started server: load the pods, then churn at a fixed write
/// rate (open loop: a slow answer does not slow the offered load) while timed reads probe the
/// server and the watchers receive every change.
/// </summary>
public sealed class ApiWorkload(ApiCalls calls, HttpClient client, ApiBenchmarkSize size)
{
    private const string Json = "application/json";
    private const string MergePatch = "application/merge-patch+json";

    public ApiLatencies LoadCreates { get; } = new("create pod (load, closed loop)");
    public ApiLatencies ChurnCreates { get; } = new("create pod (churn)");
    public ApiLatencies ChurnUpdates { get; } = new("update pod (churn, merge patch)");
    public ApiLatencies ChurnDeletes { get; } = new("delete pod (churn)");
    public ApiLatencies Gets { get; } = new("get pod");
    public ApiLatencies NamespaceLists { get; } = new("list pods in a namespace");
    public ApiLatencies ClusterLists { get; } = new("list pods in all namespaces");

    public PodSet Pods { get; } = new(size.Namespaces, seed: 42);

    public TimeSpan LoadDuration { get; private set; }

    /// <summary>Creates the namespaces, then every pod from <c>LoadClients</c> closed-loop clients.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var namespaceGate = new ApiLatencies("namespaces");
        for (var ns = 0; ns < size.Namespaces; ns++)
        {
            await calls.TimeAsync(HttpMethod.Post, "/api/v1/namespaces", PodManifest.NamespaceJson(PodManifest.Namespace(ns)), Json,
                HttpStatusCode.Created, namespaceGate.Recorder, namespaceGate.Gate, cancellationToken);
        }

        // Pod admission needs each namespace's default ServiceAccount, which the server's
        // controller makes right after the namespace: wait for it rather than time the retries.
        for (var ns = 0; ns < size.Namespaces; ns++)
        {
            var path = $"/api/v1/namespaces/{PodManifest.Namespace(ns)}/serviceaccounts/default";
            for (var attempt = 0; ; attempt++)
            {
                using var response = await client.GetAsync(path, cancellationToken);
                if (response.IsSuccessStatusCode || attempt >= 600)
                {
                    break;
                }

                await Task.Delay(50, cancellationToken);
            }
        }

        var next = -1;
        var clients = Enumerable.Range(0, size.LoadClients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < size.Pods)
            {
                var ns = i % size.Namespaces;
                var name = PodManifest.Name(i);
                var body = PodManifest.Json(PodManifest.Namespace(ns), name, i % 97, Stopwatch.GetTimestamp());
                if (await calls.TimeAsync(HttpMethod.Post, $"/api/v1/namespaces/{PodManifest.Namespace(ns)}/pods", body, Json,
                        HttpStatusCode.Created, LoadCreates.Recorder, LoadCreates.Gate, cancellationToken))
                {
                    Pods.Add(ns, name);
                }
            }
        });
        await Task.WhenAll(clients);
        LoadDuration = Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The list resourceVersion now: where the watchers start.</summary>
    public async Task<string> CurrentResourceVersionAsync(CancellationToken cancellationToken)
    {
        var list = JsonNode.Parse(await client.GetStringAsync("/api/v1/pods?limit=1", cancellationToken))!;
        return list["metadata"]?["resourceVersion"]?.ToString() ?? throw new InvalidOperationException("pod list without a resourceVersion");
    }

    /// <summary>Writes at the configured rate for the churn duration, with the read probes running
    /// beside; returns when the last write has been answered.</summary>
    public async Task ChurnAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probes = new[]
        {
            PaceAsync(size.GetsPerSecond, GetAsync, stop.Token),
            PaceAsync(size.NamespaceListsPerSecond, NamespaceListAsync, stop.Token),
            ClusterListsAsync(stop.Token),
        };
        var writes = new List<Task>();
        var interval = TimeSpan.FromSeconds(1 / size.WritesPerSecond);
        var started = Stopwatch.GetTimestamp();
        for (var n = 0; Stopwatch.GetElapsedTime(started) < size.ChurnDuration; n++)
        {
            var due = interval * n;
            if (due > Stopwatch.GetElapsedTime(started))
            {
                await Task.Delay(due - Stopwatch.GetElapsedTime(started), cancellationToken);
            }

            // One create, two updates and one delete in every four writes: the pod count stays level.
            writes.Add((n % 4) switch
            {
                0 => CreateAsync(cancellationToken),
                3 => DeleteAsync(cancellationToken),
                _ => UpdateAsync(cancellationToken),
            });
        }

        await Task.WhenAll(writes);
        await stop.CancelAsync();
        await Task.WhenAll(probes);
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var ns = Pods.RandomNamespace();
        var name = Pods.NewName();
        var sent = Stopwatch.GetTimestamp();
        if (await calls.TimeAsync(HttpMethod.Post, $"/api/v1/namespaces/{PodManifest.Namespace(ns)}/pods", PodManifest.Json(PodManifest.Namespace(ns), name, ns, sent),
                Json, HttpStatusCode.Created, ChurnCreates.Recorder, ChurnCreates.Gate, cancellationToken, sent))
        {
            Pods.Add(ns, name);
        }
    }

    private async Task UpdateAsync(CancellationToken cancellationToken)
    {
        var ns = Pods.RandomNamespace();
        if (Pods.Pick(ns, remove: false) is not { } name)
        {
            return;
        }

        var sent = Stopwatch.GetTimestamp();
        await calls.TimeAsync(HttpMethod.Patch, $"/api/v1/namespaces/{PodManifest.Namespace(ns)}/pods/{name}", PodManifest.TouchPatch(sent),
            MergePatch, HttpStatusCode.OK, ChurnUpdates.Recorder, ChurnUpdates.Gate, cancellationToken, sent, () => Pods.Removed(ns, name));
    }

    private async Task DeleteAsync(CancellationToken cancellationToken)
    {
        var ns = Pods.RandomNamespace();
        if (Pods.Pick(ns, remove: true) is not { } name)
        {
            return;
        }

        // No kubelet runs these pods: delete at once rather than leave them terminating.
        await calls.TimeAsync(HttpMethod.Delete, $"/api/v1/namespaces/{PodManifest.Namespace(ns)}/pods/{name}?gracePeriodSeconds=0", null, Json,
            HttpStatusCode.OK, ChurnDeletes.Recorder, ChurnDeletes.Gate, cancellationToken);
    }

    private async Task GetAsync(CancellationToken cancellationToken)
    {
        var ns = Pods.RandomNamespace();
        if (Pods.Pick(ns, remove: false) is { } name)
        {
            await calls.TimeAsync(HttpMethod.Get, $"/api/v1/namespaces/{PodManifest.Namespace(ns)}/pods/{name}", null, Json,
                HttpStatusCode.OK, Gets.Recorder, Gets.Gate, cancellationToken, goneMeanwhile: () => Pods.Removed(ns, name));
        }
    }

    private Task NamespaceListAsync(CancellationToken cancellationToken) =>
        calls.TimeAsync(HttpMethod.Get, $"/api/v1/namespaces/{PodManifest.Namespace(Pods.RandomNamespace())}/pods", null, Json,
            HttpStatusCode.OK, NamespaceLists.Recorder, NamespaceLists.Gate, cancellationToken);

    /// <summary>Whole-cluster lists one after another with a pause between: an informer's relist,
    /// not a flood (each returns every pod).</summary>
    private async Task ClusterListsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await calls.TimeAsync(HttpMethod.Get, "/api/v1/pods", null, Json, HttpStatusCode.OK, ClusterLists.Recorder, ClusterLists.Gate, cancellationToken);
                await Task.Delay(size.ClusterListPause, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Starts <paramref name="call"/> at a fixed rate without waiting for the previous one.</summary>
    private static async Task PaceAsync(double perSecond, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var calls = new List<Task>();
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var started = Stopwatch.GetTimestamp();
        try
        {
            for (var n = 0; ; n++)
            {
                var wait = interval * n - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                calls.Add(call(cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        try
        {
            await Task.WhenAll(calls);
        }
        catch (OperationCanceledException)
        {
            // Calls cut short at the end of the churn: not samples, not failures.
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Api;

/// <summary>
/// Many watchers of pods, spread evenly over the namespaces (as kubelets and controllers spread
/// over a cluster). Each ADDED or MODIFIED event carries the Stopwatch timestamp at which its
/// write was sent, so a watcher records delivery latency = write latency + fan-out. Events are
/// matched as text, not parsed, so the generator spends as little CPU as it can beside the server.
/// </summary>
public sealed class WatchFanOut : IAsyncDisposable
{
    private static readonly string SentMarker = $"\"{PodManifest.SentAnnotation}\":\"";

    private readonly List<(Task Task, LatencyRecorder Recorder)> _watchers = [];
    private const int OpeningAtOnce = 32;
    private const int OpenAttempts = 3;

    private readonly CancellationTokenSource _stop = new();
    private long _openRetries;
    private long _events;
    private long _broken;

    public long Events => Interlocked.Read(ref _events);

    /// <summary>Watch requests that failed before the server answered and were sent again.</summary>
    public long OpenRetries => Interlocked.Read(ref _openRetries);

    /// <summary>Watches that ended before they were stopped (the server closed them, or an error).</summary>
    public long Broken => Interlocked.Read(ref _broken);

    /// <summary>Opens <paramref name="count"/> watches from <paramref name="resourceVersion"/> and
    /// returns once every one has its response headers, i.e. is registered on the server. At most
    /// <see cref="OpeningAtOnce"/> are being opened at a time: a thousand TLS handshakes at once on a
    /// small machine would measure the handshake timeout, not the watch path.</summary>
    public static async Task<WatchFanOut> StartAsync(HttpClient client, int count, int namespaces, string resourceVersion, CancellationToken cancellationToken)
    {
        var fanOut = new WatchFanOut();
        var opened = new List<Task>();
        using var opening = new SemaphoreSlim(OpeningAtOnce);
        for (var i = 0; i < count; i++)
        {
            await opening.WaitAsync(cancellationToken);
            var path = $"/api/v1/namespaces/{PodManifest.Namespace(i % namespaces)}/pods?watch=true&resourceVersion={resourceVersion}";
            var recorder = new LatencyRecorder();
            var headers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = headers.Task.ContinueWith(_ => opening.Release(), TaskScheduler.Default);
            fanOut._watchers.Add((fanOut.RunAsync(client, path, recorder, headers), recorder));
            opened.Add(headers.Task);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        await Task.WhenAll(opened).WaitAsync(timeout.Token);
        return fanOut;
    }

    public LatencySummary Summarize() => LatencyRecorder.Summarize(_watchers.Select(w => w.Recorder));

    private async Task RunAsync(HttpClient client, string path, LatencyRecorder recorder, TaskCompletionSource headers)
    {
        await Task.Yield();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                response.EnsureSuccessStatusCode();
                headers.TrySetResult();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var now = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref _events);
                    if (SentAt(line) is { } sent)
                    {
                        recorder.Record(now - sent);
                    }
                }

                Interlocked.Increment(ref _broken);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // Opening may be retried (a refused or reset connection under load); a watch that
                // broke after it was open counts as broken, since events were lost.
                if (headers.Task.IsCompleted || attempt == OpenAttempts)
                {
                    Interlocked.Increment(ref _broken);
                    headers.TrySetException(e);
                    return;
                }

                Interlocked.Increment(ref _openRetries);
            }
        }
    }

    /// <summary>The sent timestamp of an ADDED or MODIFIED event; deletions carry an old one.</summary>
    private static long? SentAt(string line)
    {
        if (!line.StartsWith("{\"type\":\"ADDED\"", StringComparison.Ordinal) && !line.StartsWith("{\"type\":\"MODIFIED\"", StringComparison.Ordinal))
        {
            return null;
        }

        var at = line.IndexOf(SentMarker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + SentMarker.Length;
        var end = line.IndexOf('"', start);
        return end > start && long.TryParse(line.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var sent) ? sent : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watchers.Select(w => w.Task));
        _stop.Dispose();
    }
}

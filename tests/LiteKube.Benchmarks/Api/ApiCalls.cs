using System.Diagnostics;
using System.Net;
using System.Text;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Api;

/// <summary>
/// Timed API requests. A request that fails (transport error or an unexpected status) is counted,
/// not recorded as a latency, and its first message kept for the report: a benchmark that hides
/// errors behind fast numbers would be worse than none.
/// </summary>
public sealed class ApiCalls(HttpClient client)
{
    private long _failures;
    private string? _firstFailure;

    public long Failures => Interlocked.Read(ref _failures);

    public string? FirstFailure => _firstFailure;

    /// <summary>Sends one request and records its latency (headers and body read in full) into
    /// <paramref name="recorder"/>, under <paramref name="gate"/> since recorders take one writer.
    /// <paramref name="goneMeanwhile"/> says whether a 404 is the benchmark's own race (the churn
    /// deleted the object after it was picked): then it is a served request, not a failure.</summary>
    public async Task<bool> TimeAsync(
        HttpMethod method, string path, string? body, string contentType, HttpStatusCode expected,
        LatencyRecorder recorder, object gate, CancellationToken cancellationToken, long? startTimestamp = null, Func<bool>? goneMeanwhile = null)
    {
        var start = startTimestamp ?? Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var elapsed = Stopwatch.GetTimestamp() - start;
            var raced = response.StatusCode == HttpStatusCode.NotFound && goneMeanwhile?.Invoke() == true;
            if (response.StatusCode != expected && !raced)
            {
                Fail($"{method} {path}: {(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync(cancellationToken))}");
                return false;
            }

            lock (gate)
            {
                recorder.Record(elapsed);
            }

            return !raced;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Fail($"{method} {path}: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }

    private void Fail(string message)
    {
        Interlocked.Increment(ref _failures);
        Interlocked.CompareExchange(ref _firstFailure, message, null);
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}

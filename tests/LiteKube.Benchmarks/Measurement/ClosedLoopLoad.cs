using System.Diagnostics;
using Grpc.Core;

namespace LiteKube.Benchmarks.Measurement;

/// <summary>
/// The load generator shared by every request/response workload: N independent callers, each
/// issuing its next request as soon as the previous one returns (closed loop), latency taken
/// with Stopwatch around each call. Loops are bounded by time or count and stop by themselves.
/// </summary>
public static class ClosedLoopLoad
{
    /// <summary>One request. <c>caller</c> is 0..callers-1 (pick your connection); <c>iteration</c> counts that caller's calls.</summary>
    public delegate Task Operation(int caller, long iteration, CancellationToken cancellationToken);

    /// <summary>
    /// Runs for <paramref name="warmup"/> unrecorded, then <paramref name="duration"/> recorded.
    /// A call counts when it both started and finished inside the recorded window.
    /// </summary>
    public static async Task<LoadResult> RunForAsync(
        int callers, TimeSpan warmup, TimeSpan duration, Operation operation, CancellationToken cancellationToken)
    {
        var recordFrom = Stopwatch.GetTimestamp() + Ticks(warmup);
        var recordUntil = recordFrom + Ticks(duration);
        var states = Enumerable.Range(0, callers).Select(_ => new CallerState()).ToArray();
        await Task.WhenAll(states.Select((state, caller) => Task.Run(async () =>
        {
            for (long i = 0; ; i++)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= recordUntil)
                {
                    return;
                }

                if (await state.CallAsync(operation, caller, i, cancellationToken)
                    && started >= recordFrom && Stopwatch.GetTimestamp() is var finished && finished <= recordUntil)
                {
                    state.Recorder.Record(finished - started);
                }
            }
        }, cancellationToken)));

        return Summarize(states, duration);
    }

    /// <summary>
    /// Performs exactly <paramref name="total"/> operations (iteration = 0..total-1, spread over the
    /// callers), all recorded; gives up with an exception after <paramref name="timeLimit"/>.
    /// </summary>
    public static async Task<LoadResult> RunCountAsync(
        int callers, long total, TimeSpan timeLimit, Operation operation, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var giveUpAt = start + Ticks(timeLimit);
        long next = -1;
        var states = Enumerable.Range(0, callers).Select(_ => new CallerState()).ToArray();
        await Task.WhenAll(states.Select((state, caller) => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= giveUpAt)
                {
                    throw new TimeoutException($"{i} of {total} operations done after {timeLimit.TotalSeconds} s");
                }

                if (await state.CallAsync(operation, caller, i, cancellationToken))
                {
                    state.Recorder.RecordSince(started);
                }
            }
        }, cancellationToken)));

        return Summarize(states, Stopwatch.GetElapsedTime(start));
    }

    private static LoadResult Summarize(CallerState[] states, TimeSpan measured) => new(
        states.Sum(s => s.Recorder.Count),
        states.Sum(s => s.Succeeded),
        states.Sum(s => s.Errors),
        measured,
        LatencyRecorder.Summarize(states.Select(s => s.Recorder)),
        states.Select(s => s.FirstError).FirstOrDefault(e => e is not null));

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>What one caller has seen; touched only by that caller until the run ends.</summary>
    private sealed class CallerState
    {
        private static readonly TimeSpan ErrorBackoff = TimeSpan.FromMilliseconds(10);

        public LatencyRecorder Recorder { get; } = new();
        public long Succeeded { get; private set; }
        public long Errors { get; private set; }
        public string? FirstError { get; private set; }

        /// <summary>True when the call succeeded. RPC errors are counted, not thrown, unless we are cancelled.</summary>
        public async Task<bool> CallAsync(Operation operation, int caller, long iteration, CancellationToken cancellationToken)
        {
            try
            {
                await operation(caller, iteration, cancellationToken);
                Succeeded++;
                return true;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                Errors++;
                FirstError ??= $"{e.StatusCode}: {e.Status.Detail}";
                // Back off a little so a dead server does not turn the loop into a busy spin.
                await Task.Delay(ErrorBackoff, cancellationToken);
                return false;
            }
        }
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using LiteKube.Benchmarks.Clients;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Watch delivery latency: <c>watchers</c> watch streams (one connection each) on a prefix while
/// one writer puts into it at a steady <c>putsPerSecond</c>, open loop (a slow put does not delay
/// the next). Each value carries the Stopwatch time its put was issued, so the latency of an event
/// is the time from put issue to receipt by that watcher, write path included.
/// </summary>
public sealed class WatchLatencyWorkload(int watchers, int putsPerSecond) : IWorkload
{
    private const int ValueSize = 256;
    private static readonly ByteString Prefix = ByteString.CopyFromUtf8("bench-watch/");
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    public bool NeedsWarmServer => true;

    public string Name => $"watch delivery, {watchers} watchers, {putsPerSecond} puts/s";

    public async Task<WorkloadOutcome> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var warmupPuts = (int)(putsPerSecond * context.Options.Warmup.TotalSeconds);
        var totalPuts = warmupPuts + (int)(putsPerSecond * context.Options.Duration.TotalSeconds);
        var connections = EtcdConnection.OpenMany(context.Server.Endpoints, watchers + 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var streams = new List<WatchStream>();
        try
        {
            for (var i = 0; i < watchers; i++)
            {
                streams.Add(await WatchStream.OpenAsync(connections[i], Prefix, totalPuts, warmupPuts, stop.Token));
            }

            var meter = CpuMeter.Start(context.Server);
            var putErrors = await PutAtSteadyRateAsync(connections[watchers], totalPuts, stop.Token);
            var drained = Task.WhenAll(streams.Select(s => s.AllReceived));
            await Task.WhenAny(drained, Task.Delay(DrainLimit, stop.Token));
            var cpu = meter.Stop();
            stop.Cancel();
            await Task.WhenAll(streams.Select(s => s.Reading));

            var latency = LatencyRecorder.Summarize(streams.Select(s => s.Recorder));
            var missing = (long)totalPuts * watchers - streams.Sum(s => s.Received);
            Figure[] figures = [Figure.Latency(Name, "p50", latency.P50Ms), Figure.Latency(Name, "p99", latency.P99Ms)];
            var diagnostics = new List<Diagnostic>
            {
                new(Name, "max ms", latency.MaxMs.ToString("0.0", CultureInfo.InvariantCulture)),
                new(Name, "events measured", latency.Count.ToString(CultureInfo.InvariantCulture)),
                new(Name, "events missing", missing.ToString(CultureInfo.InvariantCulture)),
                new(Name, "errors", putErrors == 0 && streams.All(s => s.Failure is null)
                    ? "0"
                    : $"{putErrors} puts; {string.Join("; ", streams.Select(s => s.Failure).OfType<string>().Distinct())}"),
            };
            diagnostics.AddRange(cpu.Describe(Name, operations: 0));
            return new WorkloadOutcome(Name, context.Server.Name, figures, diagnostics);
        }
        finally
        {
            stop.Cancel();
            foreach (var stream in streams)
            {
                stream.Dispose();
            }

            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Issues put number s at start + s/rate, whether or not earlier puts have returned.</summary>
    private async Task<long> PutAtSteadyRateAsync(EtcdConnection connection, int totalPuts, CancellationToken cancellationToken)
    {
        long errors = 0;
        var padding = EtcdKeys.RandomValues(1, ValueSize, seed: 3)[0].ToByteArray();
        var ticksPerPut = (double)Stopwatch.Frequency / putsPerSecond;
        var puts = new List<Task>(totalPuts);
        var start = Stopwatch.GetTimestamp();
        for (var sequence = 0; sequence < totalPuts; sequence++)
        {
            var wait = start + (long)(sequence * ticksPerPut) - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
            }

            var value = (byte[])padding.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(8), sequence);
            BinaryPrimitives.WriteInt64LittleEndian(value, Stopwatch.GetTimestamp());
            var request = new PutRequest
            {
                Key = ByteString.CopyFromUtf8($"{Prefix.ToStringUtf8()}{sequence:D6}"),
                Value = ByteString.CopyFrom(value),
            };
            puts.Add(PutAsync(request));
        }

        await Task.WhenAll(puts);
        return Interlocked.Read(ref errors);

        async Task PutAsync(PutRequest request)
        {
            try
            {
                await connection.Kv.PutAsync(request, deadline: WorkloadContext.RequestDeadline(), cancellationToken: cancellationToken);
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }

    /// <summary>
    /// Reads the Stopwatch issue time (bytes 0..8) and sequence number (bytes 8..12) a put wrote
    /// into its value.
    /// </summary>
    internal static (long Issued, int Sequence) Decode(ByteString value) =>
        (BinaryPrimitives.ReadInt64LittleEndian(value.Span), BinaryPrimitives.ReadInt32LittleEndian(value.Span[8..]));
}

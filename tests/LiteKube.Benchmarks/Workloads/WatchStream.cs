using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using LiteKube.Benchmarks.Clients;
using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// One watcher of <see cref="WatchLatencyWorkload"/>: a Watch stream on a prefix whose reader
/// records, per event, the time since its put was issued. Counts each sequence number once, so
/// duplicates cannot hide missing events.
/// </summary>
public sealed class WatchStream : IDisposable
{
    private readonly AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _call;
    private readonly bool[] _seen;
    private readonly int _warmupPuts;
    private readonly TaskCompletionSource _allReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received;

    private WatchStream(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, int totalPuts, int warmupPuts)
    {
        _call = call;
        _seen = new bool[totalPuts];
        _warmupPuts = warmupPuts;
    }

    public LatencyRecorder Recorder { get; } = new();

    /// <summary>Distinct events received. Read after <see cref="Reading"/> completes.</summary>
    public int Received => Volatile.Read(ref _received);

    public string? Failure { get; private set; }

    public Task AllReceived => _allReceived.Task;

    /// <summary>The reader; completes when the stream ends or the open token is cancelled, never faults.</summary>
    public Task Reading { get; private set; } = Task.CompletedTask;

    /// <summary>Creates the watch and returns once the server confirms it, so no put can precede it.</summary>
    public static async Task<WatchStream> OpenAsync(
        EtcdConnection connection, ByteString prefix, int totalPuts, int warmupPuts, CancellationToken cancellationToken)
    {
        var call = connection.Watch.Watch(cancellationToken: cancellationToken);
        var stream = new WatchStream(call, totalPuts, warmupPuts);
        try
        {
            await call.RequestStream.WriteAsync(new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = prefix, RangeEnd = EtcdKeys.PrefixEnd(prefix) },
            }, cancellationToken);
            using var createTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            createTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            if (!await call.ResponseStream.MoveNext(createTimeout.Token) || !call.ResponseStream.Current.Created)
            {
                throw new InvalidOperationException("the server did not confirm the watch");
            }

            stream.Reading = stream.ReadAsync(cancellationToken);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Dispose() => _call.Dispose();

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(cancellationToken))
            {
                var response = _call.ResponseStream.Current;
                var now = Stopwatch.GetTimestamp();
                if (response.Canceled)
                {
                    Failure = $"watch canceled by server: {response.CancelReason}";
                    return;
                }

                foreach (var e in response.Events)
                {
                    Record(e.Kv.Value, now);
                }
            }
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
        }
        catch (RpcException e)
        {
            Failure = $"watch failed: {e.StatusCode}: {e.Status.Detail}";
        }
    }

    private void Record(ByteString value, long receivedAt)
    {
        var (issued, sequence) = WatchLatencyWorkload.Decode(value);
        if (sequence < 0 || sequence >= _seen.Length || _seen[sequence])
        {
            return;
        }

        _seen[sequence] = true;
        if (sequence >= _warmupPuts)
        {
            Recorder.Record(receivedAt - issued);
        }

        if (Interlocked.Increment(ref _received) == _seen.Length)
        {
            _allReceived.TrySetResult();
        }
    }
}

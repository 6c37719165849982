using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>Records what a transport calls back, from any thread, and lets a test wait for it.</summary>
internal sealed class RecordingHandler : IRaftMessageHandler
{
    private readonly Lock gate = new();
    private readonly List<(Message Message, string? Payload)> received = [];
    private readonly List<ulong> unreachable = [];
    private readonly List<(ulong Id, bool Failed)> snapshotReports = [];

    /// <summary>Called inside <see cref="Receive"/> before recording (e.g. to block the transport).</summary>
    public Action<Message>? OnReceive { get; set; }

    public void Receive(Message message, string? snapshotPayload)
    {
        OnReceive?.Invoke(message);
        lock (gate)
        {
            received.Add((message, snapshotPayload));
        }
    }

    public void ReportUnreachable(ulong id)
    {
        lock (gate)
        {
            unreachable.Add(id);
        }
    }

    public void ReportSnapshot(ulong id, bool failed)
    {
        lock (gate)
        {
            snapshotReports.Add((id, failed));
        }
    }

    public IReadOnlyList<(Message Message, string? Payload)> Received
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    public IReadOnlyList<ulong> Unreachable
    {
        get
        {
            lock (gate)
            {
                return [.. unreachable];
            }
        }
    }

    public IReadOnlyList<(ulong Id, bool Failed)> SnapshotReports
    {
        get
        {
            lock (gate)
            {
                return [.. snapshotReports];
            }
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; a liveness bound, not a timing
    /// assertion (generous, for a loaded machine).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }
            await Task.Delay(5);
        }
    }
}

/// <summary>A snapshot source whose payload each test chooses.</summary>
internal sealed class TestSnapshotSource : ISnapshotSource
{
    public Func<Snapshot, Stream> Open { get; set; } = _ => new MemoryStream();

    public Stream OpenPayload(Snapshot snapshot) => Open(snapshot);
}

/// <summary>Yields <paramref name="goodBytes"/> bytes of data, then fails as a broken disk would.</summary>
internal sealed class FailingStream(long goodBytes) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (position >= goodBytes)
        {
            throw new IOException("simulated read failure of the snapshot source");
        }
        var n = (int)Math.Min(count, goodBytes - position);
        buffer.AsSpan(offset, n).Fill(0x5a);
        position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication.Transport;

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>
/// What every <see cref="LiteKube.Datastore.Replication.IRaftTransport"/> guarantees: order per
/// peer, reports instead of blocking, snapshot payloads whole or not at all, and silence after
/// dispose. Waits are liveness bounds, never timing assertions.
/// </summary>
public abstract class RaftTransportContract<TNetwork> : IAsyncLifetime
    where TNetwork : ITransportNetworkUnderTest, new()
{
    protected TNetwork Network { get; } = new();

    private static readonly RaftTransportOptions Defaults = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Network.DisposeAsync();

    private async Task<(TransportMember Member, RecordingHandler Handler, TestSnapshotSource Source)> StartAsync(
        ulong id, RaftTransportOptions? options = null)
    {
        var handler = new RecordingHandler();
        var source = new TestSnapshotSource();
        var member = await Network.StartAsync(id, handler, source, options ?? Defaults);
        return (member, handler, source);
    }

    private static Message App(ulong from, ulong to, ulong index, int payloadBytes = 8) => new()
    {
        Type = MessageType.App,
        From = from,
        To = to,
        Term = 3,
        LogTerm = 3,
        Index = index,
        Commit = index,
        Entries = [new Entry(3, index + 1, EntryType.Normal, new byte[payloadBytes])],
    };

    [Fact]
    public async Task Messages_to_one_peer_arrive_in_the_order_they_were_sent()
    {
        var (a, aHandler, _) = await StartAsync(1);
        var (b, bHandler, _) = await StartAsync(2);
        var (c, cHandler, _) = await StartAsync(3);
        a.Transport.SetPeer(2, b.Address);
        a.Transport.SetPeer(3, c.Address);

        for (var batch = 0; batch < 20; batch++)
        {
            var messages = new List<Message>();
            for (var i = 1; i <= 100; i++)
            {
                var index = (ulong)(batch * 100 + i);
                messages.Add(App(1, 2, index));
                messages.Add(App(1, 3, index));
            }
            a.Transport.Send(messages);
        }

        await RecordingHandler.WaitUntilAsync(() => bHandler.Received.Count == 2000 && cHandler.Received.Count == 2000, "2000 messages at each peer");
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (ulong)i), bHandler.Received.Select(r => r.Message.Index));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (ulong)i), cHandler.Received.Select(r => r.Message.Index));
        Assert.All(bHandler.Received, r => Assert.Equal((1UL, 2UL), (r.Message.From, r.Message.To)));
        Assert.Empty(aHandler.Unreachable);
    }

    [Fact]
    public async Task Every_field_of_a_message_arrives_unchanged()
    {
        var (a, _, _) = await StartAsync(1);
        var (b, bHandler, _) = await StartAsync(2);
        a.Transport.SetPeer(2, b.Address);
        var sent = new[]
        {
            new Message
            {
                Type = MessageType.App, From = 1, To = 2, Term = ulong.MaxValue, LogTerm = 5, Index = 1UL << 40, Commit = 77,
                Entries =
                [
                    new Entry(5, (1UL << 40) + 1, EntryType.Normal, [1, 2, 3]),
                    new Entry(6, (1UL << 40) + 2, EntryType.ConfChange, new ConfChange(ConfChangeType.AddLearner, 9).Encode()),
                    new Entry(6, (1UL << 40) + 3, EntryType.Normal, []),
                ],
            },
            new Message { Type = MessageType.AppResp, From = 1, To = 2, Term = 6, Index = 12, Reject = true, RejectHint = 9, LogTerm = 4 },
            new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 6, Commit = 3, Context = [9, 8, 7] },
            new Message { Type = MessageType.Vote, From = 1, To = 2, Term = 7, LogTerm = 6, Index = 20, LeaderTransfer = true },
            new Message { Type = MessageType.TimeoutNow, From = 1, To = 2, Term = 7 },
            new Message { Type = MessageType.ReadIndexResp, From = 1, To = 2, Term = 7, Index = 21, Context = [] },
        };

        a.Transport.Send(sent);

        await RecordingHandler.WaitUntilAsync(() => bHandler.Received.Count == sent.Length, "every message");
        var received = bHandler.Received.Select(r => r.Message).ToList();
        for (var i = 0; i < sent.Length; i++)
        {
            AssertSameMessage(sent[i], received[i]);
            Assert.Null(bHandler.Received[i].Payload);
        }
    }

    [Fact]
    public async Task A_message_to_an_unknown_peer_is_reported_unreachable()
    {
        var (a, aHandler, _) = await StartAsync(1);

        a.Transport.Send([App(1, 42, 1)]);

        await RecordingHandler.WaitUntilAsync(() => aHandler.Unreachable.Contains(42UL), "peer 42 reported unreachable");
    }

    [Fact]
    public async Task A_peer_where_nobody_listens_is_reported_unreachable()
    {
        var (a, aHandler, _) = await StartAsync(1);
        a.Transport.SetPeer(5, Network.UnusedAddress());

        a.Transport.Send([App(1, 5, 1)]);

        await RecordingHandler.WaitUntilAsync(() => aHandler.Unreachable.Contains(5UL), "peer 5 reported unreachable");
    }

    [Fact]
    public async Task A_removed_peer_is_reported_unreachable()
    {
        var (a, aHandler, _) = await StartAsync(1);
        var (b, bHandler, _) = await StartAsync(2);
        a.Transport.SetPeer(2, b.Address);
        a.Transport.Send([App(1, 2, 1)]);
        await RecordingHandler.WaitUntilAsync(() => bHandler.Received.Count == 1, "the first message");

        a.Transport.RemovePeer(2);
        a.Transport.Send([App(1, 2, 2)]);

        await RecordingHandler.WaitUntilAsync(() => aHandler.Unreachable.Contains(2UL), "the removed peer reported unreachable");
        Assert.Single(bHandler.Received);
    }

    [Fact]
    public async Task A_full_queue_drops_messages_and_never_blocks_Send()
    {
        var options = Defaults with { QueueCapacity = 16, MaxBatchMessages = 4 };
        var (a, aHandler, _) = await StartAsync(1, options);
        var (b, bHandler, _) = await StartAsync(2, options);
        using var gate = new ManualResetEventSlim(false);
        using var blocked = new ManualResetEventSlim(false);
        bHandler.OnReceive = _ =>
        {
            blocked.Set();
            gate.Wait();
        };
        a.Transport.SetPeer(2, b.Address);
        a.Transport.Send([App(1, 2, 1)]);
        await RecordingHandler.WaitUntilAsync(() => blocked.IsSet, "the receiver to block");

        // Enough bytes to fill any socket and HTTP/2 window between the two, then the queue.
        var flood = Enumerable.Range(2, 20_000).Select(i => App(1, 2, (ulong)i, payloadBytes: 1024)).ToList();
        await Task.Run(() =>
        {
            foreach (var chunk in flood.Chunk(100))
            {
                a.Transport.Send(chunk);
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));

        await RecordingHandler.WaitUntilAsync(() => aHandler.Unreachable.Contains(2UL), "the full queue reported");
        gate.Set();
        // Order per peer: once a marker sent after the flood arrives, everything queued before it has.
        var marker = 1_000_000UL;
        await RecordingHandler.WaitUntilAsync(() =>
        {
            a.Transport.Send([App(1, 2, ++marker)]);
            return bHandler.Received.Any(r => r.Message.Index > 1_000_000UL);
        }, "a marker after the flood");
        var last = 0UL;
        var indexes = bHandler.Received.Select(r => r.Message.Index).Where(i => i <= 1_000_000UL).ToList();
        Assert.Equal(1UL, indexes[0]);
        Assert.True(indexes.Count < flood.Count + 1, $"{indexes.Count} of {flood.Count + 1} arrived: nothing was dropped");
        foreach (var index in indexes)
        {
            Assert.True(index > last || index == 1, $"index {index} after {last}: reordered");
            last = index;
        }
    }

    [Fact]
    public async Task Dispose_returns_while_a_peer_is_stalled()
    {
        var options = Defaults with { QueueCapacity = 16, MaxBatchMessages = 4 };
        var (a, _, _) = await StartAsync(1, options);
        var (b, bHandler, _) = await StartAsync(2, options);
        using var gate = new ManualResetEventSlim(false);
        using var blocked = new ManualResetEventSlim(false);
        bHandler.OnReceive = _ =>
        {
            blocked.Set();
            gate.Wait();
        };
        a.Transport.SetPeer(2, b.Address);
        try
        {
            a.Transport.Send([App(1, 2, 1)]);
            await RecordingHandler.WaitUntilAsync(() => blocked.IsSet, "the receiver to block");
            foreach (var chunk in Enumerable.Range(2, 5_000).Select(i => App(1, 2, (ulong)i, payloadBytes: 1024)).Chunk(100))
            {
                a.Transport.Send(chunk);
            }

            await a.Transport.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            gate.Set();
        }
        Assert.Throws<ObjectDisposedException>(() => a.Transport.Send([App(1, 2, 1)]));
    }

    [Fact]
    public async Task A_snapshot_payload_arrives_whole_and_the_sender_hears_it_finished()
    {
        var (a, aHandler, aSource) = await StartAsync(1);
        var (b, bHandler, _) = await StartAsync(2);
        var payload = new byte[(3 << 20) + 17];
        new Random(7).NextBytes(payload);
        aSource.Open = _ => new MemoryStream(payload, writable: false);
        a.Transport.SetPeer(2, b.Address);
        var snapshot = new Snapshot(new SnapshotMetadata(42, 7, new ConfState([1, 2, 3], [4])), [1, 2]);

        a.Transport.Send([new Message { Type = MessageType.Snapshot, From = 1, To = 2, Term = 7, Snapshot = snapshot }]);

        await RecordingHandler.WaitUntilAsync(() => aHandler.SnapshotReports.Count == 1, "the snapshot report");
        Assert.Equal((2UL, false), aHandler.SnapshotReports.Single());
        var (message, path) = Assert.Single(bHandler.Received);
        Assert.Equal(MessageType.Snapshot, message.Type);
        Assert.Equal(snapshot.Metadata, message.Snapshot!.Metadata);
        Assert.Equal(snapshot.Data, message.Snapshot.Data);
        Assert.NotNull(path);
        Assert.StartsWith(b.SnapshotDirectory, path);
        Assert.Equal(payload, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.GetFiles(b.SnapshotDirectory, "*.tmp"));
    }

    [Fact]
    public async Task A_payload_that_fails_midway_is_reported_failed_and_nothing_is_delivered()
    {
        var (a, aHandler, aSource) = await StartAsync(1);
        var (b, bHandler, _) = await StartAsync(2);
        aSource.Open = _ => new FailingStream(goodBytes: (1 << 20) + (1 << 19));
        a.Transport.SetPeer(2, b.Address);
        var snapshot = new Snapshot(new SnapshotMetadata(42, 7, new ConfState([1, 2], [])), []);

        a.Transport.Send([new Message { Type = MessageType.Snapshot, From = 1, To = 2, Term = 7, Snapshot = snapshot }]);

        await RecordingHandler.WaitUntilAsync(() => aHandler.SnapshotReports.Count == 1, "the snapshot report");
        Assert.Equal((2UL, true), aHandler.SnapshotReports.Single());
        await RecordingHandler.WaitUntilAsync(
            () => !Directory.Exists(b.SnapshotDirectory) || Directory.GetFiles(b.SnapshotDirectory).Length == 0,
            "the receiver to delete the partial payload");
        Assert.Empty(bHandler.Received);

        // The link still works afterwards.
        a.Transport.Send([App(1, 2, 1)]);
        await RecordingHandler.WaitUntilAsync(() => bHandler.Received.Count == 1, "a message after the failed snapshot");
    }

    [Fact]
    public async Task A_disposed_transport_delivers_nothing_and_refuses_to_send()
    {
        var (a, aHandler, _) = await StartAsync(1);
        var (b, bHandler, _) = await StartAsync(2);
        a.Transport.SetPeer(2, b.Address);
        b.Transport.SetPeer(1, a.Address);
        a.Transport.Send([App(1, 2, 1)]);
        await RecordingHandler.WaitUntilAsync(() => bHandler.Received.Count == 1, "the first message");

        await b.Transport.DisposeAsync();
        a.Transport.Send([App(1, 2, 2)]);

        await RecordingHandler.WaitUntilAsync(() => aHandler.Unreachable.Contains(2UL), "the stopped peer reported unreachable");
        Assert.Single(bHandler.Received);
        Assert.Throws<ObjectDisposedException>(() => b.Transport.Send([App(2, 1, 1)]));
    }

    private static void AssertSameMessage(Message expected, Message actual)
    {
        Assert.Equal(
            (expected.Type, expected.From, expected.To, expected.Term, expected.LogTerm, expected.Index, expected.Commit, expected.Reject, expected.RejectHint, expected.LeaderTransfer),
            (actual.Type, actual.From, actual.To, actual.Term, actual.LogTerm, actual.Index, actual.Commit, actual.Reject, actual.RejectHint, actual.LeaderTransfer));
        Assert.Equal(expected.Context, actual.Context);
        Assert.Equal(expected.Entries.Count, actual.Entries.Count);
        for (var i = 0; i < expected.Entries.Count; i++)
        {
            var (e, a) = (expected.Entries[i], actual.Entries[i]);
            Assert.Equal((e.Term, e.Index, e.Type), (a.Term, a.Index, a.Type));
            Assert.Equal(e.Data, a.Data);
        }
    }
}

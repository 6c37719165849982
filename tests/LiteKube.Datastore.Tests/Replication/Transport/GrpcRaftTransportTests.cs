using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication.Transport;
using RaftPb = LiteKube.Datastore.Protos.Raftpb;

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>What the gRPC transport refuses: other clusters, malformed messages, bad snapshot
/// streams. Each ends the call with a status naming the problem and hands the member nothing.
/// And what it notices by itself: a peer whose connection breaks.</summary>
public sealed class GrpcRaftTransportTests : IAsyncLifetime
{
    private readonly GrpcTransportNetwork network = new();
    private readonly RecordingHandler handler = new();
    private TransportMember member = null!;
    private GrpcChannel channel = null!;

    public async Task InitializeAsync()
    {
        member = await network.StartAsync(new GrpcRaftTransportOptions
        {
            ClusterId = GrpcTransportNetwork.ClusterId,
            MemberId = 2,
            SnapshotChunkBytes = 64 << 10,
            MaxSnapshotChunkBytes = 64 << 10,
        }, handler, new TestSnapshotSource());
        channel = GrpcChannel.ForAddress($"http://{member.Address}");
    }

    public async Task DisposeAsync()
    {
        channel.Dispose();
        await network.DisposeAsync();
    }

    private RaftPb.RaftTransport.RaftTransportClient Client => new(channel);

    private static Metadata Cluster(ulong id) => new() { { "litekube-cluster-id", id.ToString("x16") } };

    private static readonly Metadata Ours = Cluster(GrpcTransportNetwork.ClusterId);

    private static RaftPb.RaftMessage Heartbeat(ulong to = 2) => new() { Type = (uint)MessageType.Heartbeat, From = 1, To = to, Term = 1 };

    private async Task<RpcException> StreamFailsAsync(Metadata headers, params RaftPb.RaftMessage[] messages)
    {
        return await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Client.Stream(headers);
            var batch = new RaftPb.MessageBatch();
            batch.Messages.Add(messages);
            await call.RequestStream.WriteAsync(batch);
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });
    }

    private async Task<RpcException> SnapshotFailsAsync(params RaftPb.SnapshotChunk[] chunks)
    {
        return await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Client.Snapshot(Ours);
            foreach (var chunk in chunks)
            {
                await call.RequestStream.WriteAsync(chunk);
            }
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });
    }

    private static RaftPb.SnapshotChunk SnapshotMessage() => new()
    {
        Message = new RaftPb.RaftMessage
        {
            Type = (uint)MessageType.Snapshot, From = 1, To = 2, Term = 3,
            Snapshot = new RaftPb.SnapshotMetadata { Index = 9, Term = 3, Voters = { 1, 2, 3 } },
        },
    };

    private static RaftPb.SnapshotChunk Data(byte[] data) => new() { Data = ByteString.CopyFrom(data) };

    private void AssertNothingDelivered()
    {
        Assert.Empty(handler.Received);
        Assert.True(!Directory.Exists(member.SnapshotDirectory) || Directory.GetFiles(member.SnapshotDirectory).Length == 0,
            "a refused snapshot left files behind");
    }

    [Fact]
    public async Task A_peer_that_dies_is_reported_unreachable_at_once_without_another_send()
    {
        // What a follower's early campaign after its leader is killed relies on: the broken
        // connection itself is reported, not only the next message that fails to go out.
        var sender = new RecordingHandler();
        var a = await network.StartAsync(new GrpcRaftTransportOptions { ClusterId = GrpcTransportNetwork.ClusterId, MemberId = 1 }, sender, new TestSnapshotSource());
        a.Transport.SetPeer(2, member.Address);
        a.Transport.Send([new Message { Type = MessageType.HeartbeatResp, From = 1, To = 2, Term = 1 }]);
        await RecordingHandler.WaitUntilAsync(() => handler.Received.Count == 1, "the first message");
        Assert.Empty(sender.Unreachable);

        await network.KillServerAsync(2);

        await RecordingHandler.WaitUntilAsync(() => sender.Unreachable.Contains(2UL), "the dead peer reported unreachable");
    }

    [Fact]
    public async Task A_call_from_another_cluster_is_refused_naming_both_clusters()
    {
        var error = await StreamFailsAsync(Cluster(0xbad), Heartbeat());

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("0000000000000bad", error.Status.Detail);
        Assert.Contains(GrpcTransportNetwork.ClusterId.ToString("x16"), error.Status.Detail);
        AssertNothingDelivered();
    }

    [Fact]
    public async Task A_call_without_a_cluster_id_is_refused()
    {
        var error = await StreamFailsAsync(new Metadata(), Heartbeat());

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("names no cluster", error.Status.Detail);
    }

    [Fact]
    public async Task A_member_of_another_cluster_cannot_reach_this_one()
    {
        var stranger = new RecordingHandler();
        var other = await network.StartAsync(new GrpcRaftTransportOptions { ClusterId = 0xbad, MemberId = 1 }, stranger, new TestSnapshotSource());
        other.Transport.SetPeer(2, member.Address);

        await RecordingHandler.WaitUntilAsync(() =>
        {
            other.Transport.Send([new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 1 }]);
            return stranger.Unreachable.Contains(2UL);
        }, "the refused peer reported unreachable");
        AssertNothingDelivered();
    }

    [Theory]
    [InlineData("type", "unknown message type 99")]
    [InlineData("from", "non-zero from and to")]
    [InlineData("entries", "entries are not consecutive: 5 then 7")]
    [InlineData("entry-type", "entry 5 has unknown type 4")]
    public async Task A_malformed_message_ends_the_stream_with_InvalidArgument(string fault, string expected)
    {
        var message = Heartbeat();
        switch (fault)
        {
            case "type":
                message.Type = 99;
                break;
            case "from":
                message.From = 0;
                break;
            case "entries":
                message.Type = (uint)MessageType.App;
                message.Entries.Add(new RaftPb.RaftEntry { Index = 5, Term = 1 });
                message.Entries.Add(new RaftPb.RaftEntry { Index = 7, Term = 1 });
                break;
            case "entry-type":
                message.Type = (uint)MessageType.App;
                message.Entries.Add(new RaftPb.RaftEntry { Index = 5, Term = 1, Type = 4 });
                break;
        }

        var error = await StreamFailsAsync(Ours, message);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);
        AssertNothingDelivered();
    }

    [Fact]
    public async Task A_message_for_another_member_is_refused_as_a_stale_address()
    {
        var error = await StreamFailsAsync(Ours, Heartbeat(to: 7));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("for member 7 reached member 2", error.Status.Detail);
    }

    [Fact]
    public async Task A_snapshot_message_on_the_message_stream_is_refused()
    {
        var error = await StreamFailsAsync(Ours, SnapshotMessage().Message);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Snapshot call", error.Status.Detail);
    }

    [Fact]
    public async Task An_oversized_snapshot_chunk_is_refused_and_nothing_is_kept()
    {
        var error = await SnapshotFailsAsync(SnapshotMessage(), Data(new byte[(64 << 10) + 1]));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("exceeds the limit of 65536", error.Status.Detail);
        AssertNothingDelivered();
    }

    [Fact]
    public async Task A_payload_with_the_wrong_checksum_is_refused_and_nothing_is_kept()
    {
        var data = new byte[1000];
        var wrong = SHA256.HashData(new byte[999]);

        var error = await SnapshotFailsAsync(SnapshotMessage(), Data(data), new RaftPb.SnapshotChunk { Sha256 = ByteString.CopyFrom(wrong) });

        Assert.Equal(StatusCode.DataLoss, error.StatusCode);
        AssertNothingDelivered();
    }

    [Fact]
    public async Task A_payload_without_its_checksum_is_incomplete()
    {
        var error = await SnapshotFailsAsync(SnapshotMessage(), Data(new byte[10]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("without its checksum", error.Status.Detail);
        AssertNothingDelivered();
    }

    [Fact]
    public async Task A_snapshot_call_must_start_with_its_message()
    {
        var error = await SnapshotFailsAsync(Data(new byte[10]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("must start with its message", error.Status.Detail);
        AssertNothingDelivered();
    }

    [Fact]
    public async Task A_well_formed_snapshot_call_is_delivered()
    {
        var data = new byte[150_000];
        new Random(3).NextBytes(data);
        using var call = Client.Snapshot(Ours);
        await call.RequestStream.WriteAsync(SnapshotMessage());
        foreach (var chunk in data.Chunk(60_000))
        {
            await call.RequestStream.WriteAsync(Data(chunk));
        }
        await call.RequestStream.WriteAsync(new RaftPb.SnapshotChunk { Sha256 = ByteString.CopyFrom(SHA256.HashData(data)) });
        await call.RequestStream.CompleteAsync();
        await call.ResponseAsync;

        var (message, path) = Assert.Single(handler.Received);
        Assert.Equal(new SnapshotMetadata(9, 3, new ConfState([1, 2, 3], [])), message.Snapshot!.Metadata);
        Assert.Equal(data, await File.ReadAllBytesAsync(path!));
    }
}

using Grpc.Core;
using LiteKube.Datastore.Raft;
using RaftPb = LiteKube.Datastore.Protos.Raftpb;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// The receiving side of <see cref="GrpcRaftTransport"/>: message streams and snapshot uploads
/// from other members. Bad input ends the call with a status naming the problem; nothing
/// half-received reaches the handler.
/// </summary>
internal sealed class RaftTransportService(GrpcRaftTransport transport) : RaftPb.RaftTransport.RaftTransportBase
{
    public override async Task<RaftPb.StreamAck> Stream(IAsyncStreamReader<RaftPb.MessageBatch> requestStream, ServerCallContext context)
    {
        Accept(context);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, transport.Stopping);
        while (await NextAsync(requestStream, cancellation.Token).ConfigureAwait(false))
        {
            foreach (var proto in requestStream.Current.Messages)
            {
                var message = Decode(proto);
                if (message.Type == MessageType.Snapshot)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "snapshot messages travel on the Snapshot call, not the message stream"));
                }
                Deliver(message, null);
            }
        }
        return new RaftPb.StreamAck();
    }

    public override async Task<RaftPb.SnapshotAck> Snapshot(IAsyncStreamReader<RaftPb.SnapshotChunk> requestStream, ServerCallContext context)
    {
        Accept(context);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, transport.Stopping);
        if (!await requestStream.MoveNext(cancellation.Token).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "an empty snapshot call"));
        }
        if (requestStream.Current.PartCase != RaftPb.SnapshotChunk.PartOneofCase.Message)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a snapshot call must start with its message"));
        }
        var message = Decode(requestStream.Current.Message);
        if (message.Type != MessageType.Snapshot)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"a snapshot call must carry a Snapshot message, not {message.Type}"));
        }
        var payload = await new SnapshotDownload(transport.Options).ReceiveAsync(requestStream, cancellation.Token).ConfigureAwait(false);
        try
        {
            Deliver(message, payload);
        }
        catch
        {
            // The handler did not take the file, so it is still ours to remove.
            SnapshotSpool.TryDelete(payload);
            throw;
        }
        return new RaftPb.SnapshotAck();
    }

    /// <summary>Ends the call with Unavailable (not Cancelled) when this member stops, so the
    /// sender knows to report it.</summary>
    private async Task<bool> NextAsync<T>(IAsyncStreamReader<T> stream, CancellationToken cancellation)
    {
        try
        {
            return await stream.MoveNext(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (transport.Stopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"member {transport.Options.MemberId:x} is stopping"));
        }
    }

    private void Accept(ServerCallContext context)
    {
        try
        {
            transport.Accept(context);
        }
        catch (RpcException refused) when (refused.StatusCode != StatusCode.Unavailable)
        {
            transport.Logger.CallRefused(context.Peer, refused.Status.Detail);
            throw;
        }
    }

    private Message Decode(RaftPb.RaftMessage proto)
    {
        Message message;
        try
        {
            message = RaftMessageCodec.FromProto(proto);
        }
        catch (FormatException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"malformed Raft message: {e.Message}"));
        }
        if (message.To != transport.Options.MemberId)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"a message for member {message.To:x} reached member {transport.Options.MemberId:x}: the sender's address for it is stale"));
        }
        return message;
    }

    private void Deliver(Message message, string? payload)
    {
        var handler = transport.AcceptingHandler();
        try
        {
            handler.Receive(message, payload);
        }
        catch (Exception e)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"member {transport.Options.MemberId:x} failed to take a {message.Type} message: {e.Message}"));
        }
    }
}

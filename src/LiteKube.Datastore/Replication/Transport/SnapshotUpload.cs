using System.Buffers;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using LiteKube.Datastore.Raft;
using RaftPb = LiteKube.Datastore.Protos.Raftpb;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// One snapshot to one peer: the message, the payload in chunks, then its SHA-256, on a call of
/// its own. Either way it ends, the handler hears <see cref="IRaftMessageHandler.ReportSnapshot"/>;
/// a failure cancels the call so the receiver drops what it spooled.
/// </summary>
internal sealed class SnapshotUpload(GrpcRaftTransport owner, GrpcPeer peer)
{
    public async Task SendAsync(Message message)
    {
        var cancellation = owner.Stopping;
        var buffer = ArrayPool<byte>.Shared.Rent(owner.Options.SnapshotChunkBytes);
        try
        {
            if (message.Snapshot is null)
            {
                throw new ArgumentException("a snapshot message without snapshot metadata");
            }
            var client = new RaftPb.RaftTransport.RaftTransportClient(peer.Channel());
            using var call = client.Snapshot(new CallOptions(owner.CallHeaders, cancellationToken: cancellation));
            await call.RequestStream.WriteAsync(new RaftPb.SnapshotChunk { Message = RaftMessageCodec.ToProto(message) }, cancellation).ConfigureAwait(false);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var payload = owner.Snapshots.OpenPayload(message.Snapshot))
            {
                int read;
                while ((read = await payload.ReadAtLeastAsync(buffer.AsMemory(0, owner.Options.SnapshotChunkBytes), owner.Options.SnapshotChunkBytes, throwOnEndOfStream: false, cancellation).ConfigureAwait(false)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await call.RequestStream.WriteAsync(new RaftPb.SnapshotChunk { Data = ByteString.CopyFrom(buffer, 0, read) }, cancellation).ConfigureAwait(false);
                }
            }
            await call.RequestStream.WriteAsync(new RaftPb.SnapshotChunk { Sha256 = ByteString.CopyFrom(sha.GetHashAndReset()) }, cancellation).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            await call.ResponseAsync.ConfigureAwait(false);
            owner.Reports.ReportSnapshot(peer.Id, failed: false);
        }
        catch (Exception error) when (!cancellation.IsCancellationRequested)
        {
            owner.Logger.SnapshotFailed(peer.Id, peer.Address, error);
            if (error is RpcException { StatusCode: StatusCode.Unavailable })
            {
                owner.Reports.ReportUnreachable(peer.Id);
            }
            owner.Reports.ReportSnapshot(peer.Id, failed: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

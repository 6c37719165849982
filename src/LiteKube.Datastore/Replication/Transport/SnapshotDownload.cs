using System.Security.Cryptography;
using Grpc.Core;
using RaftPb = LiteKube.Datastore.Protos.Raftpb;

namespace LiteKube.Datastore.Replication.Transport;

/// <summary>
/// Spools one snapshot payload to <c>snap-*.tmp</c> while hashing it, checks the SHA-256 that
/// ends the call, and renames the file only then. Any failure (bad chunk, wrong checksum, the
/// sender going away) removes the temp file and ends the call with a status naming why.
/// </summary>
internal sealed class SnapshotDownload(GrpcRaftTransportOptions options)
{
    /// <summary>Returns the path of the complete payload, which the caller now owns.</summary>
    public async Task<string> ReceiveAsync(IAsyncStreamReader<RaftPb.SnapshotChunk> chunks, CancellationToken cancellation)
    {
        var temp = SnapshotSpool.NewTempPath(options.Limits.SnapshotDirectory);
        var complete = false;
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var verified = false;
                while (await chunks.MoveNext(cancellation).ConfigureAwait(false))
                {
                    var chunk = chunks.Current;
                    if (verified)
                    {
                        throw Invalid("the snapshot call goes on after its checksum");
                    }
                    switch (chunk.PartCase)
                    {
                        case RaftPb.SnapshotChunk.PartOneofCase.Data:
                            if (chunk.Data.Length > options.MaxSnapshotChunkBytes)
                            {
                                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                                    $"snapshot chunk of {chunk.Data.Length} bytes exceeds the limit of {options.MaxSnapshotChunkBytes}"));
                            }
                            sha.AppendData(chunk.Data.Span);
                            await file.WriteAsync(chunk.Data.Memory, cancellation).ConfigureAwait(false);
                            break;
                        case RaftPb.SnapshotChunk.PartOneofCase.Sha256:
                            if (!chunk.Sha256.Span.SequenceEqual(sha.GetHashAndReset()))
                            {
                                throw new RpcException(new Status(StatusCode.DataLoss, "the snapshot payload does not match its SHA-256 (corrupted on the way)"));
                            }
                            verified = true;
                            break;
                        case RaftPb.SnapshotChunk.PartOneofCase.Message:
                            throw Invalid("a second message in one snapshot call");
                        default:
                            throw Invalid("an empty snapshot chunk");
                    }
                }
                if (!verified)
                {
                    throw Invalid("the snapshot call ended without its checksum (incomplete payload)");
                }
                await file.FlushAsync(cancellation).ConfigureAwait(false);
                // The handler may restore from it after a crash: it must be on disk, not in the cache.
                file.Flush(flushToDisk: true);
            }
            var path = SnapshotSpool.Complete(temp);
            complete = true;
            return path;
        }
        finally
        {
            if (!complete)
            {
                SnapshotSpool.TryDelete(temp);
            }
        }
    }

    private static RpcException Invalid(string why) => new(new Status(StatusCode.InvalidArgument, why));
}

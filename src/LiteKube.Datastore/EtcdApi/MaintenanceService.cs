using Google.Protobuf;
using Grpc.Core;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>etcd's Maintenance service over <see cref="IDatastoreMaintenance"/>; Raft figures
/// come from the <see cref="IEtcdClusterView"/> (0, and its own leader, for a single-node store).</summary>
internal sealed class MaintenanceService(IDatastoreMaintenance maintenance, ResponseHeaderFactory headers, IEtcdClusterView cluster)
    : EtcdPb.Maintenance.MaintenanceBase
{
    /// <summary>etcd streams snapshots in chunks of this size.</summary>
    private const int SnapshotChunkBytes = 32 * 1024;

    public override Task<EtcdPb.StatusResponse> Status(EtcdPb.StatusRequest request, ServerCallContext context)
    {
        var status = maintenance.GetStatus();
        var raft = cluster.Status();
        return Task.FromResult(new EtcdPb.StatusResponse
        {
            Header = headers.Create(status.Revision),
            Version = EtcdLimits.ServerVersion,
            DbSize = status.DbSize,
            DbSizeInUse = status.DbSizeInUse,
            Leader = raft.Leader,
            RaftTerm = raft.Term,
            RaftIndex = raft.CommittedIndex,
            RaftAppliedIndex = raft.AppliedIndex,
            IsLearner = raft.IsLearner,
        });
    }

    /// <summary>No alarms are raised by LiteKube; listing works so that etcdctl's
    /// <c>alarm list</c> and <c>alarm disarm</c> (which lists first) succeed.</summary>
    public override Task<EtcdPb.AlarmResponse> Alarm(EtcdPb.AlarmRequest request, ServerCallContext context)
    {
        if (request.Action != EtcdPb.AlarmRequest.Types.AlarmAction.Get)
        {
            throw EtcdErrors.Unimplemented($"alarm {request.Action.ToString().ToUpperInvariant()}");
        }

        return Task.FromResult(new EtcdPb.AlarmResponse { Header = headers.CreateCurrent() });
    }

    public override async Task<EtcdPb.DefragmentResponse> Defragment(EtcdPb.DefragmentRequest request, ServerCallContext context)
    {
        await maintenance.DefragmentAsync(context.CancellationToken).ConfigureAwait(false);
        return new EtcdPb.DefragmentResponse { Header = headers.CreateCurrent() };
    }

    public override async Task<EtcdPb.HashKVResponse> HashKV(EtcdPb.HashKVRequest request, ServerCallContext context)
    {
        var result = await maintenance.HashKvAsync(request.Revision, context.CancellationToken).ConfigureAwait(false);
        return new EtcdPb.HashKVResponse
        {
            Header = headers.CreateCurrent(),
            Hash = result.Hash,
            CompactRevision = result.CompactRevision,
            HashRevision = result.Revision,
        };
    }

    /// <summary>etcd hashes its whole backend here; the key space at the current revision is the
    /// part of it a client can compare between members.</summary>
    public override async Task<EtcdPb.HashResponse> Hash(EtcdPb.HashRequest request, ServerCallContext context)
    {
        var result = await maintenance.HashKvAsync(0, context.CancellationToken).ConfigureAwait(false);
        return new EtcdPb.HashResponse { Header = headers.Create(result.Revision), Hash = result.Hash };
    }

    /// <summary>The snapshot is first written to a temporary file: that gives a consistent
    /// point in time, an exact remaining_bytes in every chunk, and the trailer etcdctl checks
    /// (see <see cref="EtcdSnapshotFormat"/>).</summary>
    public override async Task Snapshot(
        EtcdPb.SnapshotRequest request, IServerStreamWriter<EtcdPb.SnapshotResponse> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var header = headers.CreateCurrent();
        var path = Path.Combine(Path.GetTempPath(), $"litekube-snapshot-{Guid.NewGuid():N}.tmp");
        await using var file = new FileStream(
            path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);

        // The store may dispose the stream it writes to; the file must outlive that.
        await maintenance.WriteSnapshotAsync(new UnclosableStream(file), cancellationToken).ConfigureAwait(false);
        await EtcdSnapshotFormat.WriteTrailerAsync(file, file.Position, cancellationToken).ConfigureAwait(false);

        var total = file.Length;
        file.Position = 0;
        var sent = 0L;
        // One buffer for every chunk: WriteAsync has serialized the message into the response
        // body by the time it completes, so the next read may overwrite it.
        var buffer = new byte[(int)Math.Min(SnapshotChunkBytes, total)];
        while (sent < total)
        {
            var length = (int)Math.Min(buffer.Length, total - sent);
            await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await responseStream.WriteAsync(new EtcdPb.SnapshotResponse
            {
                Header = sent == 0 ? header : null,
                RemainingBytes = (ulong)(total - sent - length),
                Blob = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, length)),
            }, cancellationToken).ConfigureAwait(false);
            sent += length;
        }
    }

    public override Task<EtcdPb.MoveLeaderResponse> MoveLeader(EtcdPb.MoveLeaderRequest request, ServerCallContext context) =>
        throw EtcdErrors.Unimplemented("move-leader (leadership moves with `litekube leave`)");

    public override Task<EtcdPb.DowngradeResponse> Downgrade(EtcdPb.DowngradeRequest request, ServerCallContext context) =>
        throw EtcdErrors.Unimplemented("downgrade");
}

using Grpc.Core;
using LiteKube.Datastore.EtcdApi;
using LiteKube.Datastore.Mvcc;
using static LiteKube.Datastore.Tests.EtcdApi.Protos;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

public sealed class MaintenanceServiceTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Status_reports_version_sizes_and_this_member_as_leader()
    {
        var put = await server.Kv.PutAsync(Put("/a", "1"));

        var status = await server.Maintenance.StatusAsync(new EtcdPb.StatusRequest());

        Assert.Equal("3.5.0", status.Version);
        Assert.Equal(EtcdApiServer.Member.MemberId, status.Leader);
        Assert.Equal(EtcdApiServer.Member.MemberId, status.Header.MemberId);
        Assert.Equal(put.Header.Revision, status.Header.Revision);
        Assert.Equal(server.Store.GetStatus().DbSize, status.DbSize);
        Assert.Equal(server.Store.GetStatus().DbSizeInUse, status.DbSizeInUse);
        Assert.Equal((0ul, 0ul), (status.RaftIndex, status.RaftTerm));
        Assert.False(status.IsLearner);
    }

    [Fact]
    public async Task Snapshot_streams_the_store_snapshot_in_chunks_that_restore_to_the_same_data()
    {
        for (var i = 0; i < 200; i++)
        {
            await server.Kv.PutAsync(Put($"/k/{i:D4}", new string('x', 1000)));
        }

        using var call = server.Maintenance.Snapshot(new EtcdPb.SnapshotRequest());
        using var saved = new MemoryStream();
        var chunks = new List<EtcdPb.SnapshotResponse>();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            chunks.Add(chunk);
            chunk.Blob.WriteTo(saved);
        }

        Assert.True(chunks.Count > 1, "a snapshot of 200 KB comes in several chunks");
        Assert.Equal(32, saved.Length % 512);
        Assert.Equal(EtcdApiServer.Member.ClusterId, chunks[0].Header.ClusterId);
        var sent = 0L;
        foreach (var chunk in chunks)
        {
            sent += chunk.Blob.Length;
            Assert.Equal((ulong)(saved.Length - sent), chunk.RemainingBytes);
        }

        using var storeSnapshot = new MemoryStream();
        saved.Position = 0;
        await EtcdSnapshotFormat.ExtractAsync(saved, storeSnapshot);
        var directory = Directory.CreateTempSubdirectory("litekube-etcdapi-restore-");
        try
        {
            storeSnapshot.Position = 0;
            LocalStore.RestoreSnapshot(storeSnapshot, Path.Combine(directory.FullName, "db"));
            await using var restored = LocalStore.OpenRocksDb(Path.Combine(directory.FullName, "db"));
            var range = await restored.RangeAsync(new RangeRequest("/k/"u8.ToArray(), "/k0"u8.ToArray()) { CountOnly = true });
            Assert.Equal(200, range.Count);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_damaged_snapshot_is_refused_on_extract()
    {
        await server.Kv.PutAsync(Put("/a", "1"));
        using var call = server.Maintenance.Snapshot(new EtcdPb.SnapshotRequest());
        using var saved = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            chunk.Blob.WriteTo(saved);
        }

        saved.GetBuffer()[10] ^= 0xff;
        saved.Position = 0;

        await Assert.ThrowsAsync<InvalidDataException>(() => EtcdSnapshotFormat.ExtractAsync(saved, Stream.Null));
    }

    [Fact]
    public async Task Hash_kv_is_equal_for_equal_data_and_changes_with_a_write()
    {
        var put = await server.Kv.PutAsync(Put("/a", "1"));

        var first = await server.Maintenance.HashKVAsync(new EtcdPb.HashKVRequest { Revision = put.Header.Revision });
        var again = await server.Maintenance.HashKVAsync(new EtcdPb.HashKVRequest { Revision = put.Header.Revision });
        await server.Kv.PutAsync(Put("/a", "2"));
        var current = await server.Maintenance.HashKVAsync(new EtcdPb.HashKVRequest());
        var hash = await server.Maintenance.HashAsync(new EtcdPb.HashRequest());

        Assert.Equal(first.Hash, again.Hash);
        Assert.Equal(put.Header.Revision, first.HashRevision);
        Assert.NotEqual(first.Hash, current.Hash);
        Assert.Equal(current.Hash, hash.Hash);
    }

    [Fact]
    public async Task Defragment_succeeds_and_keeps_the_data()
    {
        await server.Kv.PutAsync(Put("/a", "1"));

        var response = await server.Maintenance.DefragmentAsync(new EtcdPb.DefragmentRequest());

        Assert.Equal(EtcdApiServer.Member.MemberId, response.Header.MemberId);
        Assert.Single((await server.Kv.RangeAsync(Get("/a"))).Kvs);
    }

    [Fact]
    public async Task Alarm_list_is_empty_and_raising_or_clearing_an_alarm_is_refused_by_name()
    {
        var list = await server.Maintenance.AlarmAsync(new EtcdPb.AlarmRequest { Action = EtcdPb.AlarmRequest.Types.AlarmAction.Get });
        var activate = await Assert.ThrowsAsync<RpcException>(() => server.Maintenance.AlarmAsync(new EtcdPb.AlarmRequest
        {
            Action = EtcdPb.AlarmRequest.Types.AlarmAction.Activate, Alarm = EtcdPb.AlarmType.Nospace,
        }).ResponseAsync);
        var deactivate = await Assert.ThrowsAsync<RpcException>(() => server.Maintenance.AlarmAsync(new EtcdPb.AlarmRequest
        {
            Action = EtcdPb.AlarmRequest.Types.AlarmAction.Deactivate,
        }).ResponseAsync);

        Assert.Empty(list.Alarms);
        Assert.Equal(StatusCode.Unimplemented, activate.StatusCode);
        Assert.Contains("alarm ACTIVATE", activate.Status.Detail);
        Assert.Contains("alarm DEACTIVATE", deactivate.Status.Detail);
    }

    [Fact]
    public async Task Move_leader_and_downgrade_are_refused_by_name()
    {
        var move = await Assert.ThrowsAsync<RpcException>(() =>
            server.Maintenance.MoveLeaderAsync(new EtcdPb.MoveLeaderRequest { TargetID = 2 }).ResponseAsync);
        var downgrade = await Assert.ThrowsAsync<RpcException>(() =>
            server.Maintenance.DowngradeAsync(new EtcdPb.DowngradeRequest { Version = "3.4" }).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, move.StatusCode);
        Assert.Contains("move-leader", move.Status.Detail);
        Assert.Contains("downgrade", downgrade.Status.Detail);
    }
}

using System.Text;
using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.Tests.Replication;

/// <summary>The membership API issue #5 builds on: learners, promotion, removal, transfer, errors.</summary>
public sealed class MembershipTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task A_learner_is_added_catches_up_is_promoted_and_removed()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var leader = cluster.Member(1);
        await leader.PutAsync(new PutRequest(B("before"), B("1")));

        var id = await leader.AddLearnerAsync("m4", "m4");
        var joiner = cluster.Start(id, "m4");
        await Eventually.TrueAsync(() => joiner.CurrentRevision == leader.CurrentRevision, "the learner caught up");
        var learner = Assert.Single(leader.Members(), m => m.Id == id);
        Assert.True(learner.IsLearner);
        Assert.Equal(("m4", "m4"), (learner.Name, learner.PeerAddress));
        Assert.Equal(new[] { "m1", "m2", "m3" }, leader.Members().Where(m => !m.IsLearner).Select(m => m.Name));
        Assert.True(Assert.Single(leader.Members(), m => m.IsLeader).Id == 1);

        await leader.PromoteAsync(id);
        Assert.False(Assert.Single(leader.Members(), m => m.Id == id).IsLearner);
        var write = await joiner.PutAsync(new PutRequest(B("from-new-voter"), B("1")));
        Assert.Equal("1", Encoding.UTF8.GetString((await leader.RangeAsync(new RangeRequest(B("from-new-voter")))).Kvs[0].Value));
        await Eventually.TrueAsync(() => leader.Members().Single(m => m.Id == id).Lag == 0, "the new voter is not behind");

        await leader.RemoveAsync(id);
        Assert.DoesNotContain(leader.Members(), m => m.Id == id);
        Assert.True(write.Revision > 0);
        var again = await leader.AddLearnerAsync("m4", "m4");
        Assert.NotEqual(id, again);
    }

    [Fact]
    public async Task Leadership_moves_to_the_member_asked()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);

        await cluster.Member(1).TransferLeadershipAsync(3);

        Assert.Equal(3UL, (await cluster.WaitForLeaderAsync()).Id);
        await cluster.Member(1).PutAsync(new PutRequest(B("a"), B("1")));
    }

    [Fact]
    public async Task Bad_membership_requests_fail_with_errors_that_name_the_problem()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var leader = cluster.Member(1);

        var unknown = await Assert.ThrowsAsync<DatastoreException>(() => leader.RemoveAsync(0xdead));
        Assert.Equal(DatastoreError.InvalidArgument, unknown.Error);
        Assert.Contains("member not found", unknown.Message);
        var voter = await Assert.ThrowsAsync<DatastoreException>(() => leader.PromoteAsync(2));
        Assert.Contains("can only promote a learner", voter.Message);
        var nameless = await Assert.ThrowsAsync<DatastoreException>(() => leader.AddLearnerAsync("", "m9"));
        Assert.Equal(DatastoreError.InvalidArgument, nameless.Error);
        var taken = await Assert.ThrowsAsync<DatastoreException>(() => leader.AddLearnerAsync("m2", "m9"));
        Assert.Contains("already exists", taken.Message);
        var follower = await Assert.ThrowsAsync<DatastoreException>(() => cluster.Member(2).AddLearnerAsync("m9", "m9"));
        Assert.Equal(DatastoreError.Unavailable, follower.Error);
        Assert.Contains("made on the leader (member 1)", follower.Message);
        var tooLarge = await Assert.ThrowsAsync<DatastoreException>(() => cluster.Member(2).PutAsync(new PutRequest(B("big"), new byte[2 * 1024 * 1024])));
        Assert.Equal(DatastoreError.RequestTooLarge, tooLarge.Error);
        Assert.Equal(3, leader.Members().Count);
    }

    [Fact]
    public async Task The_last_voter_cannot_be_removed()
    {
        await using var solo = ReplicatedStore.Start(
            new LiteKube.Datastore.Storage.InMemoryEngine(), MemoryRaftStorage.Bootstrap(new ConfState([1], [])), _ => new LonelyTransport(),
            SingleMember.Options(TimeProvider.System, TimeSpan.FromMinutes(10)));

        var error = await Assert.ThrowsAsync<DatastoreException>(() => solo.RemoveAsync(1));

        Assert.Equal(DatastoreError.InvalidArgument, error.Error);
        Assert.Contains("last voter", error.Message);
        Assert.Equal(1UL, Assert.Single(solo.Members()).Id);
    }

    [Fact]
    public async Task A_voter_is_demoted_to_a_learner_that_keeps_replicating_and_the_last_voter_cannot_be()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var leader = cluster.Member(1);

        await leader.DemoteAsync(3);
        Assert.True(Assert.Single(leader.Members(), m => m.Id == 3).IsLearner);
        await leader.PutAsync(new PutRequest(B("after-demotion"), B("1")));
        await Eventually.TrueAsync(() => cluster.Member(3).CurrentRevision == leader.CurrentRevision, "the demoted member still replicates");

        var learner = await Assert.ThrowsAsync<DatastoreException>(() => leader.DemoteAsync(3));
        Assert.Contains("already a learner", learner.Message);
        await leader.DemoteAsync(2);
        var last = await Assert.ThrowsAsync<DatastoreException>(() => leader.DemoteAsync(1));
        Assert.Contains("last voter", last.Message);
        Assert.Equal([1UL], leader.Members().Where(m => !m.IsLearner).Select(m => m.Id));
    }

    [Fact]
    public async Task The_leader_knows_when_it_last_heard_from_each_member()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var leader = cluster.Member(1);
        await Eventually.TrueAsync(() => leader.Members().Where(m => m.Id != 1).All(m => m.LastHeard is not null), "every follower was heard from");

        await cluster.StopAsync(3);
        var silent = leader.Members().Single(m => m.Id == 3).LastHeard!.Value;
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal(silent, leader.Members().Single(m => m.Id == 3).LastHeard);
        Assert.True(leader.Members().Single(m => m.Id == 2).LastHeard > silent, "a live follower answers every heartbeat");
    }
}

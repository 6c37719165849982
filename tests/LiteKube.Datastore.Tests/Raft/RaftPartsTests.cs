using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Tests.Raft;

/// <summary>Small contracts of the Raft building blocks that the scenarios rely on but rarely isolate.</summary>
public sealed class RaftPartsTests
{
    private static Entry E(ulong term, ulong index) => Entry.Empty(term, index);

    [Fact]
    public void Conf_change_round_trips_through_its_entry_encoding()
    {
        var change = new ConfChange(ConfChangeType.AddLearner, 0x0102030405060708);
        Assert.Equal(change, ConfChange.Decode(change.Encode()));
        Assert.Throws<FormatException>(() => ConfChange.Decode(new byte[] { 9, 0, 0, 0, 0, 0, 0, 0, 1 }));
    }

    [Fact]
    public void Commit_index_is_the_highest_index_a_majority_of_voters_acknowledged()
    {
        var match = new Dictionary<ulong, ulong> { [1] = 9, [2] = 5, [3] = 7, [4] = 2, [5] = 7 };
        Assert.Equal(7UL, Quorum.CommittedIndex(match.Keys.ToList(), id => match[id]));
        Assert.Equal(5UL, Quorum.CommittedIndex([1, 2, 4], id => match[id]));
        Assert.Equal(0UL, Quorum.CommittedIndex([], id => match[id]));
    }

    [Fact]
    public void Votes_are_lost_as_soon_as_a_majority_is_out_of_reach()
    {
        var votes = new Dictionary<ulong, bool> { [1] = true, [2] = false };
        Assert.Equal(VoteResult.Pending, Quorum.Tally([1, 2, 3], votes));
        votes[3] = false;
        Assert.Equal(VoteResult.Lost, Quorum.Tally([1, 2, 3], votes));
        Assert.Equal(VoteResult.Won, Quorum.Tally([1], votes));
        Assert.Equal(VoteResult.Lost, Quorum.Tally([2, 3, 4, 5], new Dictionary<ulong, bool> { [2] = false, [3] = false }));
    }

    [Fact]
    public void Inflight_window_fills_frees_acknowledged_messages_and_can_drop_its_oldest()
    {
        var window = new Inflights(3);
        window.Add(10);
        window.Add(20);
        window.Add(30);
        Assert.True(window.Full);
        window.FreeLE(20);
        Assert.Equal(1, window.Count);
        window.Add(40);
        window.Add(50);
        Assert.Throws<InvalidOperationException>(() => window.Add(60));
        window.FreeFirstOne();
        Assert.Equal(2, window.Count);
        window.FreeLE(50);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Memory_storage_replaces_a_conflicting_suffix_and_compacts_behind_its_snapshot()
    {
        var storage = MemoryRaftStorage.Bootstrap(new ConfState([1], []));
        storage.Append([E(1, 2), E(1, 3), E(1, 4)]);
        storage.Append([E(2, 3)]);
        Assert.Equal(3UL, storage.LastIndex);
        Assert.Equal(2UL, storage.Term(3));
        storage.CreateSnapshot(3, new ConfState([1], []), []);
        storage.Compact(3);
        Assert.Equal(4UL, storage.FirstIndex);
        Assert.Equal(2UL, storage.Term(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.Entries(3, 4, 10));
        Assert.Throws<InvalidOperationException>(() => storage.Append([E(2, 6)]));
    }

    [Fact]
    public void Unstable_entries_stay_unstable_when_the_persisted_one_was_replaced_meanwhile()
    {
        var unstable = new UnstableLog(5);
        unstable.TruncateAndAppend([E(1, 5), E(1, 6)]);
        unstable.TruncateAndAppend([E(2, 6)]);
        unstable.StableTo(6, 1);
        Assert.Equal(2, unstable.Entries.Count);
        unstable.StableTo(5, 1);
        Assert.Equal(6UL, unstable.Offset);
        Assert.Equal(2UL, unstable.MaybeTerm(6));
    }

    [Fact]
    public void Conflict_search_skips_every_entry_with_a_newer_term()
    {
        var storage = MemoryRaftStorage.Bootstrap(new ConfState([1], []));
        storage.Append([E(1, 2), E(2, 3), E(2, 4), E(4, 5), E(4, 6)]);
        var log = new RaftLog(storage, 100);
        Assert.Equal((4UL, 2UL), log.FindConflictByTerm(6, 3));
        Assert.Equal((6UL, 4UL), log.FindConflictByTerm(6, 5));
        Assert.Equal((0UL, 0UL), log.FindConflictByTerm(6, 0));
    }

    [Fact]
    public void Only_a_leader_whose_term_is_on_disk_may_send_before_its_write()
    {
        var storage = MemoryRaftStorage.Bootstrap(new ConfState([1], [2]));
        var node = new RaftNode(new RaftConfig { Id = 1, Storage = storage, Random = new Random(1) });
        node.Campaign();
        // Leader at once (the only voter), in a term not yet written: its append to the learner waits.
        var elected = node.Ready();
        Assert.Equal(StateRole.Leader, node.Role);
        Assert.Contains(elected.Messages, m => m.Type == MessageType.App);
        Assert.False(elected.MessagesMayPrecedeWrite);
        Persist(storage, elected);
        node.Advance();

        Assert.True(node.Propose([1]));
        var append = node.Ready();
        Assert.NotEmpty(append.Entries);
        Assert.True(append.MessagesMayPrecedeWrite);
        // Nothing committed from the leader's own unwritten entry (the learner does not count).
        Assert.DoesNotContain(append.CommittedEntries, e => e.Index == append.Entries[^1].Index);
    }

    private static void Persist(MemoryRaftStorage storage, Ready ready)
    {
        storage.Append(ready.Entries);
        if (ready.HardState is { } hs)
        {
            storage.SetHardState(hs);
        }
    }

    [Fact]
    public void Ready_must_be_advanced_before_the_next_one()
    {
        var node = new RaftNode(new RaftConfig { Id = 1, Storage = MemoryRaftStorage.Bootstrap(new ConfState([1], [])), Random = new Random(1) });
        node.Campaign();
        Assert.True(node.HasReady);
        node.Ready();
        Assert.False(node.HasReady);
        Assert.Throws<InvalidOperationException>(() => node.Ready());
        node.Advance();
        Assert.Throws<InvalidOperationException>(() => node.Advance());
    }

    [Fact]
    public void Config_refuses_id_zero_and_an_election_timeout_not_above_the_heartbeat()
    {
        var storage = new MemoryRaftStorage();
        Assert.Throws<ArgumentException>(() => new RaftNode(new RaftConfig { Id = 0, Storage = storage, Random = new Random(1) }));
        Assert.Throws<ArgumentException>(() => new RaftNode(new RaftConfig { Id = 1, Storage = storage, Random = new Random(1), ElectionTick = 1 }));
    }
}

using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication.Transport;

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>The fault controls that simulations and in-process clusters use.</summary>
public sealed class InMemoryRaftHubTests : IAsyncLifetime
{
    private readonly InMemoryTransportNetwork network = new();
    private readonly RecordingHandler[] handlers = [new(), new(), new()];
    private readonly List<TransportMember> members = [];

    public async Task InitializeAsync()
    {
        for (var id = 1UL; id <= 3; id++)
        {
            members.Add(await network.StartAsync(id, handlers[id - 1], new TestSnapshotSource(), new RaftTransportOptions()));
        }
        foreach (var from in members)
        {
            foreach (var to in members.Where(m => m != from))
            {
                from.Transport.SetPeer(to.Id, to.Address);
            }
        }
    }

    public async Task DisposeAsync() => await network.DisposeAsync();

    private static Message Heartbeat(ulong from, ulong to, ulong commit) =>
        new() { Type = MessageType.Heartbeat, From = from, To = to, Term = 1, Commit = commit };

    [Fact]
    public async Task A_partition_cuts_both_ways_and_heal_restores_the_links()
    {
        network.Hub.Partition([1], [2, 3]);

        members[0].Transport.Send([Heartbeat(1, 2, 1)]);
        members[1].Transport.Send([Heartbeat(2, 1, 1), Heartbeat(2, 3, 1)]);

        await RecordingHandler.WaitUntilAsync(() => handlers[2].Received.Count == 1, "2 -> 3 still works");
        await RecordingHandler.WaitUntilAsync(() => handlers[0].Unreachable.Contains(2UL) && handlers[1].Unreachable.Contains(1UL), "both sides see the cut");
        Assert.Empty(handlers[0].Received);
        Assert.Empty(handlers[1].Received);

        network.Hub.Heal();
        members[0].Transport.Send([Heartbeat(1, 2, 2)]);
        await RecordingHandler.WaitUntilAsync(() => handlers[1].Received.Count == 1, "1 -> 2 after heal");
        Assert.Equal(2UL, handlers[1].Received[0].Message.Commit);
    }

    [Fact]
    public async Task A_one_way_cut_leaves_the_other_direction_working()
    {
        network.Hub.Cut(1, 2);

        members[0].Transport.Send([Heartbeat(1, 2, 1)]);
        members[1].Transport.Send([Heartbeat(2, 1, 1)]);

        await RecordingHandler.WaitUntilAsync(() => handlers[0].Received.Count == 1, "2 -> 1");
        await RecordingHandler.WaitUntilAsync(() => handlers[0].Unreachable.Contains(2UL), "1 -> 2 reported");
        Assert.Empty(handlers[1].Received);
    }

    [Fact]
    public async Task Dropped_messages_are_lost_silently_and_the_rest_keep_their_order()
    {
        network.Hub.DropWhere(m => m.Commit % 2 == 0);

        members[0].Transport.Send(Enumerable.Range(1, 10).Select(i => Heartbeat(1, 2, (ulong)i)).ToList());
        members[0].Transport.Send([Heartbeat(1, 2, 11)]);

        await RecordingHandler.WaitUntilAsync(() => handlers[1].Received.Any(r => r.Message.Commit == 11), "the last message");
        Assert.Equal([1UL, 3, 5, 7, 9, 11], handlers[1].Received.Select(r => r.Message.Commit));
        Assert.Empty(handlers[0].Unreachable);
    }

    [Fact]
    public void Two_members_cannot_share_an_address()
    {
        var error = Assert.Throws<InvalidOperationException>(() => network.Hub.Connect(members[0].Address, new TestSnapshotSource()));
        Assert.Contains("already taken", error.Message);
    }
}

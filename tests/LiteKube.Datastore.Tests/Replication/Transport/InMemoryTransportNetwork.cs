using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Transport;

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>Members on one <see cref="InMemoryRaftHub"/>, each spooling snapshots to its own temp directory.</summary>
public sealed class InMemoryTransportNetwork : ITransportNetworkUnderTest
{
    private readonly string root = Directory.CreateTempSubdirectory("litekube-memtransport-").FullName;
    private readonly List<IRaftTransport> transports = [];

    public InMemoryRaftHub Hub { get; } = new();

    public Task<TransportMember> StartAsync(ulong id, IRaftMessageHandler handler, ISnapshotSource snapshots, RaftTransportOptions options)
    {
        var address = $"member-{id}";
        var directory = Path.Combine(root, address);
        var transport = Hub.Connect(address, snapshots, options with { SnapshotDirectory = directory });
        transport.Start(handler);
        transports.Add(transport);
        return Task.FromResult(new TransportMember(id, address, transport, directory));
    }

    public string UnusedAddress() => "nobody-listens-here";

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in transports)
        {
            await transport.DisposeAsync();
        }
        Directory.Delete(root, recursive: true);
    }
}

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>The transport contract over <see cref="LiteKube.Datastore.Replication.Transport.InMemoryRaftTransport"/>.</summary>
public sealed class InMemoryRaftTransportContractTests : RaftTransportContract<InMemoryTransportNetwork>;

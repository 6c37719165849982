using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Transport;

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>
/// The seam between the transport contract suite and one <see cref="IRaftTransport"/>
/// implementation: a network of members in this process. xunit makes one per test; disposing it
/// stops every member and removes what they left on disk.
/// </summary>
public interface ITransportNetworkUnderTest : IAsyncDisposable
{
    /// <summary>Starts member <paramref name="id"/> on its own address with
    /// <paramref name="handler"/> receiving (its transport is already started).</summary>
    Task<TransportMember> StartAsync(ulong id, IRaftMessageHandler handler, ISnapshotSource snapshots, RaftTransportOptions options);

    /// <summary>An address where no member listens (nothing answers there).</summary>
    string UnusedAddress();
}

/// <param name="SnapshotDirectory">Where this member spools received payloads.</param>
public sealed record TransportMember(ulong Id, string Address, IRaftTransport Transport, string SnapshotDirectory);

using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>
/// A cluster of N real server processes the fault scenarios (<see cref="FaultScenarioTests"/>)
/// drive: a 3-member etcd (<see cref="EtcdFaultCluster"/>) or 3 litekube servers
/// (<see cref="LiteKubeFaultCluster"/>).
/// Members are numbered 0..Count-1; every call names the member by number.
/// </summary>
/// <remarks>An implementation owns its processes and kills them on dispose. Partitions cut
/// member-to-member (peer) traffic only; clients still reach every running member.</remarks>
public interface IFaultCluster : IAsyncDisposable
{
    int Count { get; }

    /// <summary>One client store per member, preferring that member and failing over to the
    /// others as a real client would. Client i of the load uses <c>Clients[i % Count]</c>.</summary>
    IReadOnlyList<IKeyValueStore> Clients { get; }

    /// <summary>The member that leads now (asks the running, unpaused members).</summary>
    Task<int> LeaderAsync(CancellationToken cancellationToken);

    /// <summary>kill -9.</summary>
    void Kill(int member);

    /// <summary>Starts a killed member over its own data and waits until the cluster serves.</summary>
    Task RestartAsync(int member, CancellationToken cancellationToken);

    /// <summary>kill -9 of every member at once (a power loss), a pause of <paramref name="down"/>,
    /// then every member started again over its own data; returns once the cluster serves.</summary>
    Task PowerCycleAsync(TimeSpan down, CancellationToken cancellationToken);

    /// <summary>SIGSTOP.</summary>
    void Pause(int member);

    /// <summary>SIGCONT.</summary>
    void Resume(int member);

    /// <summary>Cuts every peer connection between <paramref name="member"/> and the others, both ways.</summary>
    void Isolate(int member);

    /// <summary>Removes every partition.</summary>
    void Heal();

    /// <summary>Waits until every running member serves and a leader exists.</summary>
    Task WaitHealthyAsync(CancellationToken cancellationToken);

    /// <summary>The last lines of every member's log, for a failure message.</summary>
    string LogTails();
}

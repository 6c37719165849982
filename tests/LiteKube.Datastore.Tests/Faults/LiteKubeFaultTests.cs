using LiteKube.Datastore.Tests.WatchValidation;
using Xunit.Abstractions;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>
/// The fault scenarios against 3 real litekube servers replicating with our Raft, through
/// <see cref="LiteKube.Datastore.External.ExternalStore"/> on their etcd APIs. Each server's own
/// API server and node agent keep writing (leases) outside the run's keys: the load records their
/// revisions (<see cref="Recording.LoadOptions.OtherWriters"/>). The longer run:
/// <c>LITEKUBE_FAULT_ROUNDS=10 dotnet test tests/LiteKube.Datastore.Tests --filter FullyQualifiedName~LiteKubeFaultTests</c>.
/// </summary>
public sealed class LiteKubeFaultTests(LiteKubeFaultClusterFixture fixture, ITestOutputHelper output)
    : FaultScenarioTests(fixture.Cluster, new() { Clients = 6, OtherWriters = true }, ProgressTrust.Strict, output), IClassFixture<LiteKubeFaultClusterFixture>;

using LiteKube.Datastore.Tests.WatchValidation;
using Xunit.Abstractions;

namespace LiteKube.Datastore.Tests.Faults;

/// <summary>
/// The fault scenarios against a real 3-member etcd through <see cref="LiteKube.Datastore.External.ExternalStore"/>.
/// Debian's etcd 3.4.23 predates the fix of etcd-io/etcd#15220 (3.4.25): see <see cref="ProgressTrust"/>.
/// The longer run: <c>LITEKUBE_FAULT_ROUNDS=10 dotnet test tests/LiteKube.Datastore.Tests --filter FullyQualifiedName~EtcdFaultTests</c>.
/// </summary>
public sealed class EtcdFaultTests(EtcdFaultClusterFixture fixture, ITestOutputHelper output)
    : FaultScenarioTests(fixture.Cluster, new() { Clients = 6 }, ProgressTrust.EtcdIssue15220, output), IClassFixture<EtcdFaultClusterFixture>;

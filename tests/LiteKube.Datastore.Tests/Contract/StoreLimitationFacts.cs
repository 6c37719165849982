using Xunit.Abstractions;
using Xunit.Sdk;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Marks a store that keeps its own wall clock (a real etcd): the contract's fake clock
/// cannot move its lease TTLs or progress-notify timers.</summary>
public interface IWallClockStoreUnderTest : IStoreUnderTest;

/// <summary>Marks a store behind Debian's etcd 3.4.23, which answers a progress request at once,
/// even for a watch still catching up on old events, so the notification can claim revisions
/// whose events come after it (etcd-io/etcd#15220, fixed in 3.4.24 by #15237).</summary>
public interface IEtcd34ProgressStoreUnderTest : IStoreUnderTest;

/// <summary>A contract test that moves the fake clock and expects the store to act on it;
/// reported as skipped for <see cref="IWallClockStoreUnderTest"/> stores, since no test can
/// move another process's clock.</summary>
[XunitTestCaseDiscoverer("LiteKube.Datastore.Tests.Contract.FakeClockFactDiscoverer", "LiteKube.Datastore.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class FakeClockFactAttribute : FactAttribute;

/// <summary>A contract test of progress notifications requested while a watch catches up;
/// reported as skipped for <see cref="IEtcd34ProgressStoreUnderTest"/> stores.</summary>
[XunitTestCaseDiscoverer("LiteKube.Datastore.Tests.Contract.CatchUpProgressFactDiscoverer", "LiteKube.Datastore.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class CatchUpProgressFactAttribute : FactAttribute;

public sealed class FakeClockFactDiscoverer(IMessageSink sink)
    : StoreLimitationDiscoverer<IWallClockStoreUnderTest>(sink,
        "the store keeps its own wall clock (a real etcd), which the contract's fake clock cannot move");

public sealed class CatchUpProgressFactDiscoverer(IMessageSink sink)
    : StoreLimitationDiscoverer<IEtcd34ProgressStoreUnderTest>(sink,
        "etcd 3.4.23 sends a requested progress notification ahead of a catching-up watch's events (etcd-io/etcd#15220, fixed in 3.4.24)");

/// <summary>Skips a test for the stores (the contract class's TStore) that carry
/// <typeparamref name="TLimitation"/>, with the reason; runs it for every other store.</summary>
public abstract class StoreLimitationDiscoverer<TLimitation>(IMessageSink sink, string reason) : FactDiscoverer(sink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (HasLimitation(testMethod.TestClass.Class.ToRuntimeType()))
        {
            return [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }

    private static bool HasLimitation(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(StoreContract<>))
            {
                return typeof(TLimitation).IsAssignableFrom(type.GetGenericArguments()[0]);
            }
        }
        return false;
    }
}

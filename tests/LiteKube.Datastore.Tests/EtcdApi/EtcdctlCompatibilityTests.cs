namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>Wire compatibility with the real etcdctl 3.4 against the in-process server. The full
/// etcdctl suite against the published binary lives in the end-to-end tests.</summary>
public sealed class EtcdctlCompatibilityTests : IAsyncLifetime
{
    private EtcdApiServer server = null!;

    public async Task InitializeAsync() => server = await EtcdApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Etcdctl_put_then_get_round_trips_a_value()
    {
        var put = await Etcdctl.RunAsync(server.Address, "put", "/greeting", "hello");
        var get = await Etcdctl.RunAsync(server.Address, "get", "/greeting");

        Assert.True(put.ExitCode == 0, put.Stderr);
        Assert.Equal("OK", put.Stdout.Trim());
        Assert.True(get.ExitCode == 0, get.Stderr);
        Assert.Equal("/greeting\nhello", get.Stdout.Trim());
    }
}

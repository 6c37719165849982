using System.Net;
using System.Text;
using LiteKube.ApiServer.Tests.Infrastructure;
using LiteKube.Cluster.Membership;
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>Certificates of a removed node are refused as soon as its removal record is in the
/// datastore, and accepted again once the record is gone (the node joined again).</summary>
public sealed class RevokedNodeCertificatesTests : IAsyncLifetime
{
    private LocalStore _store = null!;
    private InProcessApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _store = LocalStore.CreateInMemory();
        _server = await InProcessApiServer.StartAsync(store: _store);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_removed_nodes_admin_and_node_certificates_get_401_and_other_nodes_certificates_still_work()
    {
        using var removedAdmin = _server.CreateHttpClient(owner: "gone");
        using var removedNode = _server.CreateHttpClient("system:node:gone", ["system:nodes"]);
        using var otherAdmin = _server.CreateHttpClient(owner: "stays");
        using var unowned = _server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(removedAdmin));

        await _store.PutAsync(new PutRequest(Key("gone"), Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O"))));

        await EventuallyAsync(removedAdmin, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(removedNode, "/api/v1/nodes/gone"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(otherAdmin));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(unowned));
    }

    [Fact]
    public async Task A_node_that_joins_again_has_its_certificates_accepted_again()
    {
        using var admin = _server.CreateHttpClient(owner: "back");
        await _store.PutAsync(new PutRequest(Key("back"), [1]));
        await EventuallyAsync(admin, HttpStatusCode.Unauthorized);

        await _store.DeleteRangeAsync(new DeleteRangeRequest(Key("back")));

        await EventuallyAsync(admin, HttpStatusCode.OK);
    }

    private static byte[] Key(string node) => Encoding.UTF8.GetBytes(RemovedNodeRecords.KeyOf(node));

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path = "/api/v1/namespaces/default")
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>The watch delivers the record within milliseconds; 10 s is only a bound.</summary>
    private static async Task EventuallyAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode last;
        while ((last = await StatusAsync(client)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(expected, last);
    }
}

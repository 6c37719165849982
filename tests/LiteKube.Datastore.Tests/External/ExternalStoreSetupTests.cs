using System.Net;
using System.Text;
using LiteKube.Datastore.External;

namespace LiteKube.Datastore.Tests.External;

/// <summary>Bad settings for an external etcd: each is one clear message naming the problem.</summary>
public sealed class ExternalStoreSetupTests
{
    [Theory]
    [InlineData("etcd://127.0.0.1:2379", "has scheme etcd://")]
    [InlineData("unix:///run/etcd.sock", "has scheme unix://")]
    [InlineData("127.0.0.1:2379", "is not a URL")]
    [InlineData("https://127.0.0.1:2379/v3", "no path")]
    [InlineData("http://127.0.0.1:2379,https://127.0.0.2:2379", "mixes http:// and https://")]
    [InlineData(" , ", "no URL given")]
    public void An_endpoint_that_is_not_an_etcd_url_is_refused_with_the_reason(string value, string reason)
    {
        var e = Assert.Throws<ExternalStoreSetupException>(() => EtcdEndpoints.Parse(value));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Endpoints_parse_in_order_with_etcds_port_when_none_is_given()
    {
        var endpoints = EtcdEndpoints.Parse("https://127.0.0.1:2379, https://127.0.0.2:12379,https://etcd.local");

        Assert.Equal(["https://127.0.0.1:2379/", "https://127.0.0.2:12379/", "https://etcd.local:2379/"], endpoints.Select(u => u.ToString()));
    }

    [Fact]
    public void A_missing_certificate_file_or_a_lone_certfile_is_refused_before_any_connection()
    {
        var missing = Assert.Throws<ExternalStoreSetupException>(() => ExternalStore.Create(new ExternalStoreOptions
        {
            Endpoints = [new Uri("https://127.0.0.1:2379")],
            CaFile = "/nonexistent/ca.crt",
        }));
        var lone = Assert.Throws<ExternalStoreSetupException>(() => EtcdClientTls.Load(null, "/tmp/client.crt", null));

        Assert.Equal("datastore cafile: /nonexistent/ca.crt does not exist", missing.Message);
        Assert.Contains("give both or neither", lone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_ca_fails_calls_with_Unavailable_naming_the_tls_handshake_and_is_not_waited_out()
    {
        await using var etcd = await EtcdCluster.StartAsync(1, inMemory: true);
        var other = EtcdTestCertificates.Create(Path.Combine(etcd.Directory, "other-ca"), [("x", IPAddress.Loopback)]);
        await using var store = ExternalStore.Create(etcd.StoreOptions() with { CaFile = other.CaFile });

        var call = await Assert.ThrowsAsync<DatastoreException>(() => store.RangeAsync(new RangeRequest(Encoding.UTF8.GetBytes("a"))));
        var wait = await Assert.ThrowsAsync<DatastoreException>(() => store.WaitUntilReachableAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));

        Assert.Equal(DatastoreError.Unavailable, call.Error);
        Assert.Contains($"external etcd {etcd.Members[0].ClientUrl.ToString().TrimEnd('/')}: TLS handshake failed", call.Message, StringComparison.Ordinal);
        Assert.Contains("--datastore-cafile", call.Message, StringComparison.Ordinal);
        Assert.Contains("TLS handshake failed", wait.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_endpoint_works_against_a_plaintext_etcd_and_an_unreachable_one_is_Unavailable()
    {
        await using var etcd = await EtcdCluster.StartAsync(1, tls: false, inMemory: true);
        await using var store = ExternalStore.Create(etcd.StoreOptions());
        await using var nowhere = ExternalStore.Create(new ExternalStoreOptions { Endpoints = [new Uri("http://127.0.0.1:1")] });

        var put = await store.PutAsync(new PutRequest(Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes("1")));
        var down = await Assert.ThrowsAsync<DatastoreException>(() => nowhere.RangeAsync(new RangeRequest(Encoding.UTF8.GetBytes("a"))));

        Assert.Equal(2, put.Revision);
        Assert.Equal(DatastoreError.Unavailable, down.Error);
        Assert.Equal("external etcd http://127.0.0.1:1: cannot connect (ConnectionRefused)", down.Message);
    }
}

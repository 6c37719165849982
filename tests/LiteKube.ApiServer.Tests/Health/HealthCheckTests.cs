using System.Net;
using LiteKube.ApiServer.Tests.Infrastructure;
using LiteKube.Datastore;
using Microsoft.Extensions.DependencyInjection;

namespace LiteKube.ApiServer.Tests.Health;

/// <summary>/healthz, /livez and /readyz answer from real checks, in kube-apiserver's format.
/// Each test has its own server: one of them stops the datastore underneath it.</summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private InProcessApiServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessApiServer.StartAsync();
        _admin = _server.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(HttpStatusCode Code, string Body)> GetAsync(string path)
    {
        using var response = await _admin.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    [InlineData("/readyz/")]
    [InlineData("/readyz/etcd")]
    [InlineData("/livez/ping")]
    public async Task A_healthy_server_answers_ok(string path) => Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(path));

    [Fact]
    public async Task Verbose_lists_every_check_and_exclude_skips_one()
    {
        Assert.Equal((HttpStatusCode.OK, "[+]ping ok\n[+]etcd ok\n[+]shutdown ok\nreadyz check passed\n"), await GetAsync("/readyz?verbose"));
        Assert.Equal((HttpStatusCode.OK, "[+]ping ok\n[+]etcd excluded: ok\nlivez check passed\n"), await GetAsync("/livez?verbose&exclude=etcd"));
    }

    [Theory]
    [InlineData("/readyz/no-such-check")]
    [InlineData("/healthz/shutdown")] // only readiness has it
    [InlineData("/livez/etcd/extra")]
    public async Task An_unknown_check_is_a_NotFound_Status(string path)
    {
        var (code, body) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, code);
        var status = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.Equal(("Status", "NotFound"), (status["kind"]!.GetValue<string>(), status["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_datastore_that_cannot_answer_makes_every_endpoint_fail_and_says_why()
    {
        await _server.Services.GetRequiredService<IKeyValueStore>().DisposeAsync();

        var (code, body) = await GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("[+]ping ok\n[-]etcd failed: litekube: datastore is stopping\n[+]shutdown ok\nreadyz check failed\n", body);
        Assert.Equal(HttpStatusCode.InternalServerError, (await GetAsync("/livez")).Code);
        var single = await GetAsync("/healthz/etcd");
        Assert.Equal((HttpStatusCode.InternalServerError, "internal server error: etcd failed: litekube: datastore is stopping\n"), single);
        // Excluding the failing check is how an operator looks past it, as upstream allows.
        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync("/readyz?exclude=etcd"));
    }

    [Fact]
    public async Task Kubectl_reads_the_verbose_report()
    {
        var result = await _server.KubectlAsync("/usr/lib/google-cloud-sdk/bin/kubectl.1.33", null, "get", "--raw", "/readyz?verbose");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[+]etcd ok\n", result.StandardOutput, StringComparison.Ordinal);
    }
}

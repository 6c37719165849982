using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Serialization.Protobuf;
using LiteKube.ApiServer.Tests.Infrastructure;
using LiteKube.ApiServer.Tests.Serialization;

namespace LiteKube.ApiServer.Tests.Fuzz;

/// <summary>
/// Thousands of randomly damaged requests (JSON, YAML and protobuf bodies for create, update
/// and patch on several kinds; random paths and methods) against a real server. Every answer
/// is a 2xx (the damage happened to be valid) or a well-formed 4xx Status, never a 5xx, and the
/// server still serves afterwards. The run is reproducible from its seed, printed on failure;
/// LITEKUBE_FUZZ_SEED picks another.
/// </summary>
public sealed class BadInputFuzzTests : IAsyncLifetime
{
    private const int Requests = 3000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);

    private static readonly (string Collection, string Name, string Json)[] Seeds =
    [
        ("/api/v1/namespaces/fuzz/configmaps", "cm", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","labels":{"a":"b"}},"data":{"k":"v"}}"""),
        ("/api/v1/namespaces/fuzz/secrets", "sec", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"sec"},"type":"Opaque","data":{"k":"dg=="}}"""),
        ("/api/v1/namespaces/fuzz/pods", "pod", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod"},"spec":{"containers":[{"name":"c","image":"busybox","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"1"}}}]}}"""),
        ("/api/v1/namespaces/fuzz/services", "svc", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},"spec":{"selector":{"app":"x"},"ports":[{"port":80,"targetPort":"http"}]}}"""),
        ("/apis/apps/v1/namespaces/fuzz/deployments", "dep", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dep"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""),
        ("/apis/rbac.authorization.k8s.io/v1/namespaces/fuzz/roles", "role", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"role"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]}"""),
        ("/apis/batch/v1/namespaces/fuzz/jobs", "job", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"job"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}"""),
    ];

    // No %00: Kestrel refuses a NUL in the path with its own empty 400 before the API sees it.
    private static readonly string[] Segments =
    [
        "api", "apis", "v1", "apps", "namespaces", "fuzz", "default", "pods", "configmaps", "deployments", "status", "scale",
        "log", "binding", "eviction", "token", "finalize", "openapi", "v3", "version", "healthz", "rbac.authorization.k8s.io",
        "", "..", "%2F", "x y", "\u00e9", "pods:80", "proxy", "exec", "nodes", "cm", new string('n', 300),
    ];

    private static readonly string[] Queries =
    [
        "", "?fieldValidation=Strict", "?fieldValidation=bogus", "?dryRun=All", "?dryRun=x", "?limit=-1", "?limit=abc",
        "?continue=%%%", "?labelSelector=a%20in%20(", "?fieldSelector=x%3D%3Dy%3Dz", "?resourceVersion=abc", "?propagationPolicy=x",
        "?gracePeriodSeconds=-5", "?fieldManager=" + new string('m', 200), "?force=maybe", "?timeoutSeconds=abc",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/yaml", KubernetesEnvelope.MediaType, "application/merge-patch+json",
        "application/json-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml", "text/plain", "",
    ];

    private InProcessApiServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessApiServer.StartAsync();
        _admin = _server.CreateAdminClient();
        _admin.Timeout = TimeSpan.FromSeconds(15);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"fuzz"}}"""u8.ToArray(), "application/json")).Code);
        foreach (var (collection, _, json) in Seeds)
        {
            var created = await SendAsync(HttpMethod.Post, collection, Encoding.UTF8.GetBytes(json), "application/json");
            Assert.True(created.Code == HttpStatusCode.Created, $"{collection}: {created.Text}");
        }
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Damaged_requests_get_a_4xx_Status_or_succeed_and_never_a_5xx()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LITEKUBE_FUZZ_SEED"), out var s) ? s : 20261123;
        var random = new Random(seed);
        var failures = new List<string>();
        var codes = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        var sent = 0;
        for (; sent < Requests && clock.Elapsed < Budget && failures.Count < 10; sent++)
        {
            var (method, path, body, contentType) = NextRequest(random);
            var response = await SendAsync(method, path, body, contentType);
            codes[(int)response.Code] = codes.GetValueOrDefault((int)response.Code) + 1;
            if (Problem(method, response) is { } problem)
            {
                failures.Add($"#{sent} {method} {path} [{contentType}] body {Show(body)}\n    -> {(int)response.Code} {problem}: {Shorten(response.Text, 600)}");
            }
        }

        var stillServing = await SendAsync(HttpMethod.Get, "/api/v1/namespaces/fuzz/configmaps", null, "");
        Assert.True(stillServing.Code == HttpStatusCode.OK, $"seed {seed}: the server no longer lists configmaps: {stillServing.Text}");
        Assert.True(failures.Count == 0, $"seed {seed} (LITEKUBE_FUZZ_SEED={seed} replays it), {failures.Count} bad answers in {sent} requests:\n" + string.Join("\n", failures));
        Assert.True(sent >= 500, $"seed {seed}: only {sent} requests in {Budget.TotalSeconds} s");
        Assert.True(codes.Keys.Any(c => c is >= 200 and < 300) && codes.Keys.Any(c => c is >= 400 and < 500),
            $"seed {seed}: the mutations should yield both successes and refusals: {string.Join(", ", codes.Select(c => $"{c.Key}x{c.Value}"))}");
    }

    private static (HttpMethod Method, string Path, byte[]? Body, string ContentType) NextRequest(Random random)
    {
        if (random.Next(5) == 0)
        {
            return RandomPath(random);
        }

        var (collection, name, json) = Seeds[random.Next(Seeds.Length)];
        var query = Queries[random.Next(Queries.Length)];
        var obj = JsonNode.Parse(json)!.AsObject();
        obj["metadata"]!["name"] = name + random.Next(3);
        switch (random.Next(4))
        {
            case 0:
                return (HttpMethod.Post, collection + query, JsonBody(random, obj), "application/json");
            case 1:
                return (HttpMethod.Put, $"{collection}/{name}{query}", YamlBody(random, obj), "application/yaml");
            case 2:
                return (HttpMethod.Post, collection + query, ProtobufBody(random), KubernetesEnvelope.MediaType);
            default:
                var contentType = random.Next(2) == 0 ? "application/merge-patch+json" : "application/json-patch+json";
                var patch = contentType == "application/merge-patch+json"
                    ? BodyMutator.Reshape(random, obj).ToJsonString()
                    : $$"""[{"op":"{{(random.Next(2) == 0 ? "add" : "replace")}}","path":"/metadata/labels/x","value":"y"},{"op":"remove","path":"/spec/{{random.Next(3)}}"}]""";
                var bytes = Encoding.UTF8.GetBytes(patch);
                return (HttpMethod.Patch, $"{collection}/{name}{query}", random.Next(2) == 0 ? BodyMutator.Mutate(random, bytes, text: true) : bytes, contentType);
        }
    }

    private static byte[] JsonBody(Random random, JsonObject obj) => random.Next(3) == 0
        ? Encoding.UTF8.GetBytes(BodyMutator.Reshape(random, obj).ToJsonString())
        : BodyMutator.Mutate(random, Encoding.UTF8.GetBytes(obj.ToJsonString()), text: true);

    private static byte[] YamlBody(Random random, JsonObject obj) => random.Next(3) == 0
        ? Encoding.UTF8.GetBytes(BodyMutator.ToYaml(BodyMutator.Reshape(random, obj)))
        : BodyMutator.Mutate(random, Encoding.UTF8.GetBytes(BodyMutator.ToYaml(obj)), text: true);

    private static byte[] ProtobufBody(Random random)
    {
        var recorded = KubectlRecordedBodies.All[random.Next(KubectlRecordedBodies.All.Count)];
        var body = recorded.Protobuf.Values.ElementAt(random.Next(recorded.Protobuf.Count));
        return BodyMutator.Mutate(random, body, text: false);
    }

    private static (HttpMethod, string, byte[]?, string) RandomPath(Random random)
    {
        var methods = new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Head, HttpMethod.Options };
        var path = new StringBuilder();
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            path.Append('/').Append(Uri.EscapeDataString(Segments[random.Next(Segments.Length)]).Replace("%25", "%", StringComparison.Ordinal));
        }

        var method = methods[random.Next(methods.Length)];
        var seed = Seeds[random.Next(Seeds.Length)];
        byte[]? body = method == HttpMethod.Get || method == HttpMethod.Head ? null : BodyMutator.Mutate(random, Encoding.UTF8.GetBytes(seed.Json), text: true);
        return (method, path + Queries[random.Next(Queries.Length)], body, ContentTypes[random.Next(ContentTypes.Length)]);
    }

    /// <summary>What is wrong with an answer, or null when it is fine.</summary>
    private static string? Problem(HttpMethod method, (HttpStatusCode Code, string Text) response)
    {
        var code = (int)response.Code;
        if (code >= 500)
        {
            return "server error";
        }

        if (code < 400 || method == HttpMethod.Head)
        {
            return null;
        }

        if (code >= 500 || code < 400)
        {
            return "not a 4xx";
        }

        JsonObject? status;
        try
        {
            status = JsonNode.Parse(response.Text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return "error body is not JSON";
        }

        return status is null ? "error body is not an object"
            : status["kind"]?.ToString() != "Status" ? "kind is not Status"
            : status["apiVersion"]?.ToString() != "v1" ? "apiVersion is not v1"
            : status["code"] is not JsonValue c || !c.TryGetValue<int>(out var statusCode) || statusCode != code ? "code does not match"
            : string.IsNullOrEmpty(status["reason"]?.ToString()) ? "no reason"
            : null;
    }

    private async Task<(HttpStatusCode Code, string Text)> SendAsync(HttpMethod method, string path, byte[]? body, string contentType)
    {
        // Absolute, so that a path starting with "//" is not read as a host name.
        using var request = new HttpRequestMessage(method, _admin.BaseAddress!.GetLeftPart(UriPartial.Authority) + path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType != "")
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var response = await _admin.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Show(byte[]? body) => body is null ? "(none)"
        : body.Any(b => b < 9 || b is > 13 and < 32) ? Convert.ToHexString(body.Take(300).ToArray()) : Shorten(Encoding.UTF8.GetString(body), 300);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}

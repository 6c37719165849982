using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Tests.Infrastructure;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>The security endpoints over HTTP, for what kubectl does not exercise: reviews about
/// other users, token reviews, bound tokens, and the Status of every refusal.</summary>
public sealed class SecurityHttpTests : IAsyncLifetime
{
    private InProcessApiServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessApiServer.StartAsync("s3cret,alice,uid-1,devs\n");
        _admin = _server.CreateHttpClient();
    }

    private static async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["text"] = text });
    }

    private Task<(HttpStatusCode Code, JsonObject Body)> PostAsync(string path, string json, HttpClient? client = null) =>
        SendAsync(client ?? _admin, HttpMethod.Post, path, json);

    private static void AssertStatus(HttpStatusCode expected, string reason, (HttpStatusCode Code, JsonObject Body) response)
    {
        Assert.Equal(expected, response.Code);
        Assert.Equal("Status", response.Body["kind"]?.GetValue<string>());
        Assert.Equal(reason, response.Body["reason"]?.GetValue<string>());
        Assert.Equal((int)expected, response.Body["code"]?.GetValue<int>());
    }

    [Fact]
    public async Task Anonymous_requests_see_health_and_version_and_a_401_Status_for_everything_else()
    {
        using var anonymous = _server.CreateHttpClient(anonymous: true);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(anonymous, HttpMethod.Get, "/healthz")).Code);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(anonymous, HttpMethod.Get, "/version")).Code);
        AssertStatus(HttpStatusCode.Unauthorized, "Unauthorized", await SendAsync(anonymous, HttpMethod.Get, "/api"));
        AssertStatus(HttpStatusCode.Unauthorized, "Unauthorized", await SendAsync(anonymous, HttpMethod.Get, "/api/v1/namespaces/default/pods"));
        using var forged = _server.CreateHttpClient(bearerToken: "eyJhbGciOiJFUzI1NiJ9.e30.AAAA");
        AssertStatus(HttpStatusCode.Unauthorized, "Unauthorized", await SendAsync(forged, HttpMethod.Get, "/healthz"));
    }

    [Fact]
    public async Task A_subject_access_review_answers_for_the_user_and_groups_it_names()
    {
        const string review = """
            {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview",
             "spec":{"user":"carol","groups":["testers"],"resourceAttributes":{"namespace":"default","verb":"list","resource":"pods"}}}
            """;
        var before = await PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
        await PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
            {"metadata":{"name":"testers-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"Group","name":"testers"}]}
            """);
        var after = await PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", review);

        Assert.Equal(HttpStatusCode.Created, before.Code);
        Assert.False(before.Body["status"]!["allowed"]!.GetValue<bool>());
        Assert.True(after.Body["status"]!["allowed"]!.GetValue<bool>());
        Assert.Equal("RBAC: allowed by RoleBinding \"testers-view/default\" of ClusterRole \"view\" to Group \"testers\"", after.Body["status"]!["reason"]!.GetValue<string>());
        Assert.Equal("carol", after.Body["spec"]!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subject_access_reviews_are_for_those_allowed_to_create_them_and_must_be_well_formed()
    {
        using var bob = _server.CreateHttpClient("bob");

        AssertStatus(HttpStatusCode.Forbidden, "Forbidden", await PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews",
            """{"spec":{"user":"carol","resourceAttributes":{"verb":"get","resource":"pods"}}}""", bob));
        AssertStatus((HttpStatusCode)422, "Invalid", await PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews",
            """{"spec":{"resourceAttributes":{"verb":"get","resource":"pods"}}}"""));
        AssertStatus((HttpStatusCode)422, "Invalid", await PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews",
            """{"spec":{"user":"carol"}}"""));
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await PostAsync("/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews",
            """{"spec":{"user":"carol","resourceAttributes":{"namespace":"kube-system","verb":"get","resource":"pods"}}}"""));
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", "{not json"));
        var local = await PostAsync("/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews",
            """{"spec":{"user":"carol","groups":["system:masters"],"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}}}""");
        Assert.True(local.Body["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_token_review_authenticates_service_account_and_token_file_tokens()
    {
        await PostAsync("/api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"reviewed"}}""");
        var issued = await PostAsync("/api/v1/namespaces/default/serviceaccounts/reviewed/token", """{"spec":{}}""");
        var token = issued.Body["status"]!["token"]!.GetValue<string>();

        var account = await PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", $$$"""{"spec":{"token":"{{{token}}}"}}""");
        var alice = await PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", """{"spec":{"token":"s3cret"}}""");
        var otherAudience = await PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", $$$"""{"spec":{"token":"{{{token}}}","audiences":["vault"]}}""");
        var bogus = await PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", """{"spec":{"token":"nope"}}""");

        Assert.Equal(HttpStatusCode.Created, issued.Code);
        Assert.Equal(3600, issued.Body["spec"]!["expirationSeconds"]!.GetValue<long>());
        Assert.True(account.Body["status"]!["authenticated"]!.GetValue<bool>());
        Assert.Equal("system:serviceaccount:default:reviewed", account.Body["status"]!["user"]!["username"]!.GetValue<string>());
        Assert.Null(account.Body["spec"]!["token"]);
        Assert.Equal("alice", alice.Body["status"]!["user"]!["username"]!.GetValue<string>());
        Assert.False(otherAudience.Body["status"]!["authenticated"]!.GetValue<bool>());
        Assert.False(bogus.Body["status"]!["authenticated"]!.GetValue<bool>());
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", """{"spec":{}}"""));
    }

    [Fact]
    public async Task A_token_bound_to_a_pod_stops_working_when_the_pod_is_deleted()
    {
        await PostAsync("/api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"podbound"}}""");
        await PostAsync("/api/v1/namespaces/default/pods", """{"metadata":{"name":"holder"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""");
        var issued = await PostAsync("/api/v1/namespaces/default/serviceaccounts/podbound/token",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":600,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"holder"}}}""");
        using var client = _server.CreateHttpClient(bearerToken: issued.Body["status"]!["token"]!.GetValue<string>());

        var whoami = await PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", "{}", client);
        await SendAsync(_admin, HttpMethod.Delete, "/api/v1/namespaces/default/pods/holder");
        var afterDelete = await SendAsync(client, HttpMethod.Get, "/version");

        Assert.Equal(HttpStatusCode.Created, issued.Code);
        Assert.False(string.IsNullOrEmpty(issued.Body["spec"]!["boundObjectRef"]!["uid"]!.GetValue<string>()));
        Assert.Equal(["holder"], whoami.Body["status"]!["userInfo"]!["extra"]!["authentication.kubernetes.io/pod-name"]!.AsArray().Select(n => n!.GetValue<string>()));
        AssertStatus(HttpStatusCode.Unauthorized, "Unauthorized", afterDelete);
    }

    [Fact]
    public async Task Token_requests_that_cannot_be_honoured_are_refused_with_a_Status()
    {
        await PostAsync("/api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"picky"}}""");

        AssertStatus((HttpStatusCode)422, "Invalid", await PostAsync("/api/v1/namespaces/default/serviceaccounts/picky/token", """{"spec":{"expirationSeconds":599}}"""));
        AssertStatus((HttpStatusCode)422, "Invalid", await PostAsync("/api/v1/namespaces/default/serviceaccounts/picky/token", """{"spec":{"expirationSeconds":"soon"}}"""));
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await PostAsync("/api/v1/namespaces/default/serviceaccounts/picky/token", """{"spec":{"boundObjectRef":{"kind":"ConfigMap","name":"x"}}}"""));
        AssertStatus(HttpStatusCode.NotFound, "NotFound", await PostAsync("/api/v1/namespaces/default/serviceaccounts/picky/token", """{"spec":{"boundObjectRef":{"kind":"Pod","name":"missing"}}}"""));
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", await PostAsync("/api/v1/namespaces/default/serviceaccounts/picky/token", """{"apiVersion":"v1","kind":"TokenRequest"}"""));
        AssertStatus(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", await SendAsync(_admin, HttpMethod.Get, "/api/v1/namespaces/default/serviceaccounts/picky/token"));
        using var bob = _server.CreateHttpClient("bob");
        AssertStatus(HttpStatusCode.Forbidden, "Forbidden", await PostAsync("/api/v1/namespaces/default/serviceaccounts/picky/token", "{}", bob));
    }

    [Fact]
    public async Task A_protobuf_self_subject_access_review_from_kubectl_1_33_is_answered_in_json()
    {
        const string canICreateDeployment =
            "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365737352657669657712490a100a0012001a0022002a00320038004200122b0a290a036e733112066372656174651a046170707322002a0b6465706c6f796d656e747332003a03666f6f1a08080012001a0020001a002200";
        using var bob = _server.CreateHttpClient("bob");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        {
            Content = new ByteArrayContent(Convert.FromHexString(canICreateDeployment)),
        };
        request.Content.Headers.ContentType = new("application/vnd.kubernetes.protobuf");

        using var response = await bob.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(body["status"]!["allowed"]!.GetValue<bool>());
        Assert.Equal("deployments", body["spec"]!["resourceAttributes"]!["resource"]!.GetValue<string>());
    }

    [Fact]
    public async Task Whoami_answers_at_v1beta1_for_kubectl_1_27()
    {
        using var alice = _server.CreateHttpClient(bearerToken: "s3cret");

        var review = await PostAsync("/apis/authentication.k8s.io/v1beta1/selfsubjectreviews", """{"apiVersion":"authentication.k8s.io/v1beta1","kind":"SelfSubjectReview"}""", alice);

        Assert.Equal(HttpStatusCode.Created, review.Code);
        Assert.Equal("authentication.k8s.io/v1beta1", review.Body["apiVersion"]!.GetValue<string>());
        Assert.Equal("uid-1", review.Body["status"]!["userInfo"]!["uid"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }
}

using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Security.ServiceAccounts;
using Microsoft.Extensions.Time.Testing;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>Tokens against the objects they name: deleting the service account (or the pod a
/// token is bound to) revokes the token.</summary>
public sealed class ServiceAccountTokenAuthenticatorTests : IAsyncDisposable
{
    private const string Issuer = "https://kubernetes.default.svc.cluster.local";
    private static readonly string[] Audiences = [Issuer];

    private readonly StoreFixture _store = new();
    private readonly ServiceAccountSigningKey _key = ServiceAccountSigningKey.Create();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private ServiceAccountTokenCodec Codec => new(_key, Issuer);

    private ServiceAccountTokenAuthenticator Authenticator => new(Codec, _store.Objects, _store.Catalog, _time);

    private async Task<string> CreateAccountAsync(string name)
    {
        var account = await _store.CreateAsync("", "serviceaccounts", "default", $$$"""{"metadata":{"name":"{{{name}}}"}}""");
        return ObjectStore.Metadata(account)["uid"]!.GetValue<string>();
    }

    private string Token(string name, string uid, BoundObjectReference? bound = null) => Codec.Issue(new ServiceAccountTokenClaims
    {
        Namespace = "default",
        ServiceAccountName = name,
        ServiceAccountUid = uid,
        Audiences = Audiences,
        IssuedAt = _time.GetUtcNow(),
        Expiry = _time.GetUtcNow().AddHours(1),
        Id = "jti-7",
        BoundObject = bound,
    });

    [Fact]
    public async Task A_token_of_an_existing_service_account_authenticates_as_it()
    {
        var uid = await CreateAccountAsync("robot");

        var result = await Authenticator.VerifyAsync(Token("robot", uid), Audiences, CancellationToken.None);
        var user = ServiceAccountTokenAuthenticator.ToUser(result.Claims!);

        Assert.Equal("system:serviceaccount:default:robot", user.Name);
        Assert.Equal(uid, user.Uid);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], user.Groups);
        Assert.Equal(["JTI=jti-7"], user.Extra[ServiceAccountTokenAuthenticator.CredentialIdExtra]);
    }

    [Fact]
    public async Task Deleting_the_service_account_revokes_its_tokens_and_recreating_it_does_not_restore_them()
    {
        var uid = await CreateAccountAsync("robot");
        var token = Token("robot", uid);

        await _store.DeleteAsync("", "serviceaccounts", "default", "robot");
        var deleted = await Authenticator.VerifyAsync(token, Audiences, CancellationToken.None);
        await CreateAccountAsync("robot");
        var recreated = await Authenticator.VerifyAsync(token, Audiences, CancellationToken.None);

        Assert.Contains("no longer exists", deleted.Error);
        Assert.Contains("recreated", recreated.Error);
    }

    [Fact]
    public async Task A_token_bound_to_a_pod_dies_with_the_pod()
    {
        var uid = await CreateAccountAsync("robot");
        var pod = await _store.CreateAsync("", "pods", "default", """{"metadata":{"name":"web-1"},"spec":{"containers":[]}}""");
        var token = Token("robot", uid, new BoundObjectReference("Pod", "web-1", ObjectStore.Metadata(pod)["uid"]!.GetValue<string>()));

        var alive = await Authenticator.VerifyAsync(token, Audiences, CancellationToken.None);
        await _store.DeleteAsync("", "pods", "default", "web-1");
        var gone = await Authenticator.VerifyAsync(token, Audiences, CancellationToken.None);

        Assert.True(alive.IsValid, alive.Error);
        Assert.Equal(["web-1"], ServiceAccountTokenAuthenticator.ToUser(alive.Claims!).Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Contains("no longer exists", gone.Error);
    }

    [Fact]
    public async Task An_expired_token_is_refused_even_though_its_account_exists()
    {
        var token = Token("robot", await CreateAccountAsync("robot"));

        _time.Advance(TimeSpan.FromHours(2));

        Assert.Contains("expired", (await Authenticator.VerifyAsync(token, Audiences, CancellationToken.None)).Error);
    }

    public async ValueTask DisposeAsync()
    {
        _key.Dispose();
        await _store.DisposeAsync();
    }
}

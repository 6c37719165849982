using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Security.ServiceAccounts;
using Microsoft.Extensions.Time.Testing;

namespace LiteKube.ApiServer.Tests.Security;

public sealed class ServiceAccountTokenCodecTests : IDisposable
{
    private const string Issuer = "https://kubernetes.default.svc.cluster.local";
    private static readonly string[] ApiAudiences = [Issuer];

    private readonly ServiceAccountSigningKey _key = ServiceAccountSigningKey.Create();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private ServiceAccountTokenCodec Codec => new(_key, Issuer);

    private ServiceAccountTokenClaims Claims(TimeSpan lifetime) => new()
    {
        Namespace = "team-a",
        ServiceAccountName = "robot",
        ServiceAccountUid = "uid-1",
        Audiences = ApiAudiences,
        IssuedAt = _time.GetUtcNow(),
        Expiry = _time.GetUtcNow() + lifetime,
        Id = "jti-1",
    };

    [Fact]
    public void An_issued_token_verifies_with_the_claims_it_was_issued_with()
    {
        var token = Codec.Issue(Claims(TimeSpan.FromHours(1)) with { BoundObject = new BoundObjectReference("Pod", "web-1", "pod-uid") });

        var result = Codec.Verify(token, _time.GetUtcNow(), ApiAudiences);

        Assert.True(result.IsValid, result.Error);
        Assert.Equal("system:serviceaccount:team-a:robot", result.Claims!.Subject);
        Assert.Equal(("team-a", "robot", "uid-1", "jti-1"), (result.Claims.Namespace, result.Claims.ServiceAccountName, result.Claims.ServiceAccountUid, result.Claims.Id));
        Assert.Equal(new BoundObjectReference("Pod", "web-1", "pod-uid"), result.Claims.BoundObject);
        Assert.Equal(_time.GetUtcNow().AddHours(1), result.Claims.Expiry);
    }

    [Fact]
    public void The_token_carries_upstreams_header_and_claims()
    {
        var token = Codec.Issue(Claims(TimeSpan.FromMinutes(10)));
        var parts = token.Split('.');
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;

        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        Assert.Equal(_key.KeyId, header["kid"]!.GetValue<string>());
        Assert.Equal(Issuer, payload["iss"]!.GetValue<string>());
        Assert.Equal("system:serviceaccount:team-a:robot", payload["sub"]!.GetValue<string>());
        Assert.Equal("team-a", payload["kubernetes.io"]!["namespace"]!.GetValue<string>());
        Assert.Equal("robot", payload["kubernetes.io"]!["serviceaccount"]!["name"]!.GetValue<string>());
        Assert.Equal(_time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds(), payload["exp"]!.GetValue<long>());
    }

    [Fact]
    public void A_token_is_refused_once_expired_beyond_the_one_minute_leeway()
    {
        var token = Codec.Issue(Claims(TimeSpan.FromMinutes(10)));

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(59));
        Assert.True(Codec.Verify(token, _time.GetUtcNow(), ApiAudiences).IsValid);

        _time.Advance(TimeSpan.FromSeconds(2));
        var expired = Codec.Verify(token, _time.GetUtcNow(), ApiAudiences);
        Assert.False(expired.IsValid);
        Assert.True(expired.IsOurs);
        Assert.Contains("expired", expired.Error);
    }

    [Fact]
    public void A_token_from_the_future_is_refused()
    {
        var token = Codec.Issue(Claims(TimeSpan.FromHours(1)) with { IssuedAt = _time.GetUtcNow().AddMinutes(5) });

        Assert.Contains("not valid yet", Codec.Verify(token, _time.GetUtcNow(), ApiAudiences).Error);
    }

    [Fact]
    public void A_token_signed_by_another_key_is_refused()
    {
        using var otherKey = ServiceAccountSigningKey.Create();
        var forged = new ServiceAccountTokenCodec(otherKey, Issuer).Issue(Claims(TimeSpan.FromHours(1)));

        var result = Codec.Verify(forged, _time.GetUtcNow(), ApiAudiences);

        Assert.False(result.IsValid);
        Assert.Contains("signature", result.Error);
    }

    [Fact]
    public void A_token_whose_payload_was_changed_is_refused()
    {
        var parts = Codec.Issue(Claims(TimeSpan.FromHours(1))).Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        payload["sub"] = "system:serviceaccount:kube-system:admin";
        payload["kubernetes.io"]!["namespace"] = "kube-system";
        payload["kubernetes.io"]!["serviceaccount"]!["name"] = "admin";
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";

        Assert.Contains("signature", Codec.Verify(tampered, _time.GetUtcNow(), ApiAudiences).Error);
    }

    [Fact]
    public void An_unsigned_token_claiming_algorithm_none_is_refused()
    {
        var parts = Codec.Issue(Claims(TimeSpan.FromHours(1))).Split('.');
        var none = Base64Url.EncodeToString("{\"alg\":\"none\"}"u8);

        Assert.False(Codec.Verify($"{none}.{parts[1]}.", _time.GetUtcNow(), ApiAudiences).IsValid);
        Assert.False(Codec.Verify($"{none}.{parts[1]}.{parts[2]}", _time.GetUtcNow(), ApiAudiences).IsValid);
    }

    [Fact]
    public void A_token_for_another_audience_is_refused()
    {
        var token = Codec.Issue(Claims(TimeSpan.FromHours(1)) with { Audiences = ["vault"] });

        Assert.Contains("audience", Codec.Verify(token, _time.GetUtcNow(), ApiAudiences).Error);
        Assert.True(Codec.Verify(token, _time.GetUtcNow(), ["vault"]).IsValid);
    }

    [Fact]
    public void A_token_of_another_issuer_is_left_to_other_authenticators()
    {
        var token = new ServiceAccountTokenCodec(_key, "https://elsewhere").Issue(Claims(TimeSpan.FromHours(1)));

        var result = Codec.Verify(token, _time.GetUtcNow(), ApiAudiences);

        Assert.False(result.IsValid);
        Assert.False(result.IsOurs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.???.***")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.WyJhcnJheSJd.c2ln")]
    public void Malformed_tokens_are_not_service_account_tokens(string token)
    {
        var result = Codec.Verify(token, _time.GetUtcNow(), ApiAudiences);

        Assert.False(result.IsValid);
        Assert.False(result.IsOurs);
    }

    [Fact]
    public void Correctly_signed_tokens_with_broken_kubernetes_claims_are_refused()
    {
        Assert.False(Verify(p => p.Remove("kubernetes.io")).IsValid);
        Assert.False(Verify(p => p["sub"] = "system:serviceaccount:other:robot").IsValid);
        Assert.False(Verify(p => p.Remove("exp")).IsValid);
        Assert.False(Verify(p => p["exp"] = "tomorrow").IsValid);
        Assert.False(Verify(p => p["kubernetes.io"]!["serviceaccount"]!["uid"] = "").IsValid);
        Assert.True(Verify(_ => { }).IsValid);
    }

    /// <summary>Signs a payload edited by <paramref name="edit"/> with the real key.</summary>
    private TokenVerification Verify(Action<JsonObject> edit)
    {
        var parts = Codec.Issue(Claims(TimeSpan.FromHours(1))).Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        edit(payload);
        var input = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var signature = _key.Key.SignData(Encoding.ASCII.GetBytes(input), System.Security.Cryptography.HashAlgorithmName.SHA256);
        return Codec.Verify($"{input}.{Base64Url.EncodeToString(signature)}", _time.GetUtcNow(), ApiAudiences);
    }

    [Fact]
    public void The_signing_key_survives_a_round_trip_through_its_file()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("lk-sa-").FullName, "tls", "service-account.key");
        using var created = ServiceAccountSigningKey.LoadOrCreate(path);
        using var loaded = ServiceAccountSigningKey.LoadOrCreate(path);

        Assert.Equal(created.KeyId, loaded.KeyId);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var token = new ServiceAccountTokenCodec(created, Issuer).Issue(Claims(TimeSpan.FromHours(1)));
        Assert.True(new ServiceAccountTokenCodec(loaded, Issuer).Verify(token, _time.GetUtcNow(), ApiAudiences).IsValid);
        Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, recursive: true);
    }

    public void Dispose() => _key.Dispose();
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Security.ServiceAccounts;

/// <summary>
/// Issues and verifies service-account JWTs (JWS compact form, ES256), with upstream's claims:
/// <c>iss</c>, <c>sub</c> = system:serviceaccount:ns:name, <c>aud</c>, <c>exp</c>/<c>iat</c>/<c>nbf</c>,
/// <c>jti</c>, and <c>kubernetes.io</c> {namespace, serviceaccount{name,uid}, pod|secret|node{name,uid}}.
/// Pure: time is passed in, and whether the service account still exists is the caller's check.
/// </summary>
public sealed class ServiceAccountTokenCodec(ServiceAccountSigningKey key, string issuer)
{
    /// <summary>Clock skew tolerated on exp, nbf and iat, as upstream's JWT validation.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromMinutes(1);

    private const string Algorithm = "ES256";
    private const string KubernetesClaim = "kubernetes.io";

    public string Issuer => issuer;

    public string Issue(ServiceAccountTokenClaims claims)
    {
        var header = new JsonObject { ["alg"] = Algorithm, ["kid"] = key.KeyId };
        var kubernetes = new JsonObject
        {
            ["namespace"] = claims.Namespace,
            ["serviceaccount"] = new JsonObject { ["name"] = claims.ServiceAccountName, ["uid"] = claims.ServiceAccountUid },
        };
        if (claims.BoundObject is { } bound)
        {
            kubernetes[bound.Kind.ToLowerInvariant()] = new JsonObject { ["name"] = bound.Name, ["uid"] = bound.Uid };
        }

        var payload = new JsonObject
        {
            ["aud"] = new JsonArray(claims.Audiences.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["exp"] = claims.Expiry.ToUnixTimeSeconds(),
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["iss"] = issuer,
            ["jti"] = claims.Id,
            [KubernetesClaim] = kubernetes,
            ["nbf"] = claims.NotBefore.ToUnixTimeSeconds(),
            ["sub"] = claims.Subject,
        };
        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>Checks signature, issuer, audience (at least one of <paramref name="audiences"/>),
    /// validity period at <paramref name="now"/> and the shape of the Kubernetes claims.</summary>
    public TokenVerification Verify(string token, DateTimeOffset now, IReadOnlyCollection<string> audiences)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || TryDecodeObject(parts[1]) is not { } payload)
        {
            return TokenVerification.NotServiceAccountToken;
        }

        // Upstream looks at the unverified issuer first, so tokens of other issuers go to other authenticators.
        if (String(payload, "iss") != issuer)
        {
            return TokenVerification.NotServiceAccountToken;
        }

        if (TryDecodeObject(parts[0]) is not { } header || String(header, "alg") != Algorithm)
        {
            return TokenVerification.Invalid($"the token header must name algorithm {Algorithm}");
        }

        if (!TryDecode(parts[2], out var signature) || signature.Length != 64
            || !key.Key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return TokenVerification.Invalid("the token's signature is invalid");
        }

        var tokenAudiences = Audiences(payload);
        if (!tokenAudiences.Any(audiences.Contains))
        {
            return TokenVerification.Invalid("the token's audience is not accepted");
        }

        if (Seconds(payload, "exp") is not { } expiry || Seconds(payload, "iat") is not { } issuedAt)
        {
            return TokenVerification.Invalid("the token has no exp or iat claim");
        }

        var notBefore = Seconds(payload, "nbf") ?? issuedAt;
        if (now > expiry + Leeway)
        {
            return TokenVerification.Invalid("the token has expired");
        }

        if (now + Leeway < notBefore || now + Leeway < issuedAt)
        {
            return TokenVerification.Invalid("the token is not valid yet");
        }

        return ReadKubernetesClaims(payload, tokenAudiences, issuedAt, notBefore, expiry);
    }

    private static TokenVerification ReadKubernetesClaims(
        JsonObject payload, IReadOnlyList<string> audiences, DateTimeOffset issuedAt, DateTimeOffset notBefore, DateTimeOffset expiry)
    {
        if (payload[KubernetesClaim] is not JsonObject kubernetes || kubernetes["serviceaccount"] is not JsonObject account)
        {
            return TokenVerification.Invalid("the token has no kubernetes.io service-account claims");
        }

        var (ns, name, uid) = (String(kubernetes, "namespace"), String(account, "name"), String(account, "uid"));
        if (ns == "" || name == "" || uid == "" || String(payload, "sub") != ServiceAccountUser.Name(ns, name))
        {
            return TokenVerification.Invalid("the token's subject and service-account claims disagree");
        }

        BoundObjectReference? bound = null;
        foreach (var kind in new[] { "Pod", "Secret", "Node" })
        {
            if (kubernetes[kind.ToLowerInvariant()] is JsonObject reference)
            {
                bound = new BoundObjectReference(kind, String(reference, "name"), String(reference, "uid"));
            }
        }

        return new TokenVerification
        {
            IsOurs = true,
            Claims = new ServiceAccountTokenClaims
            {
                Namespace = ns,
                ServiceAccountName = name,
                ServiceAccountUid = uid,
                Audiences = audiences,
                IssuedAt = issuedAt,
                NotBefore = notBefore,
                Expiry = expiry,
                Id = String(payload, "jti"),
                BoundObject = bound,
            },
        };
    }

    private static string Encode(JsonObject obj) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(obj.ToJsonString()));

    private static bool TryDecode(string part, out byte[] bytes)
    {
        bytes = [];
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(part);
        return true;
    }

    private static JsonObject? TryDecodeObject(string part)
    {
        if (!TryDecode(part, out var bytes))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // "aud" is a string or an array of strings (RFC 7519 section 4.1.3).
    private static IReadOnlyList<string> Audiences(JsonObject payload) => payload["aud"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var single) => [single],
        JsonArray array => array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : "").Where(s => s != "").ToList(),
        _ => [],
    };

    private static DateTimeOffset? Seconds(JsonObject payload, string claim) =>
        payload[claim] is JsonValue v && v.TryGetValue<double>(out var seconds) && double.IsFinite(seconds)
            && seconds is > -62135596800 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : null;

    private static string String(JsonObject obj, string property) =>
        obj[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}

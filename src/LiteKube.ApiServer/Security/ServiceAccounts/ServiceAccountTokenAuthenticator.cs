using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Security.ServiceAccounts;

/// <summary>
/// Authenticates service-account JWTs: the codec's checks, then, as upstream's bound-token
/// validator, that the service account (and the object the token is bound to) still exists
/// with the uid the token names, so deleting a service account revokes its tokens.
/// </summary>
public sealed class ServiceAccountTokenAuthenticator(ServiceAccountTokenCodec codec, ObjectStore objects, ResourceCatalog catalog, TimeProvider time)
{
    public const string CredentialIdExtra = "authentication.kubernetes.io/credential-id";

    public async Task<TokenVerification> VerifyAsync(string token, IReadOnlyCollection<string> audiences, CancellationToken cancellationToken)
    {
        var verification = codec.Verify(token, time.GetUtcNow(), audiences);
        if (verification.Claims is not { } claims)
        {
            return verification;
        }

        var account = await LiveUidAsync("serviceaccounts", claims.Namespace, claims.ServiceAccountName, cancellationToken).ConfigureAwait(false);
        if (account != claims.ServiceAccountUid)
        {
            return TokenVerification.Invalid(account is null
                ? $"service account {claims.Namespace}/{claims.ServiceAccountName} no longer exists"
                : $"service account {claims.Namespace}/{claims.ServiceAccountName} has been deleted and recreated (uid {account}, token for {claims.ServiceAccountUid})");
        }

        if (claims.BoundObject is { } bound)
        {
            var (plural, ns) = bound.Kind switch
            {
                "Pod" => ("pods", claims.Namespace),
                "Secret" => ("secrets", claims.Namespace),
                _ => ("nodes", ""),
            };
            var uid = await LiveUidAsync(plural, ns, bound.Name, cancellationToken).ConfigureAwait(false);
            if (uid != bound.Uid)
            {
                return TokenVerification.Invalid($"the {bound.Kind.ToLowerInvariant()} {bound.Name} the token is bound to no longer exists");
            }
        }

        return verification;
    }

    /// <summary>The user a valid token stands for, with upstream's extra fields.</summary>
    public static UserInfo ToUser(ServiceAccountTokenClaims claims)
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>();
        if (claims.Id != "")
        {
            extra[CredentialIdExtra] = [$"JTI={claims.Id}"];
        }

        if (claims.BoundObject is { Kind: "Pod" } pod)
        {
            extra["authentication.kubernetes.io/pod-name"] = [pod.Name];
            extra["authentication.kubernetes.io/pod-uid"] = [pod.Uid];
        }

        return new UserInfo(claims.Subject, ServiceAccountUser.Groups(claims.Namespace)) { Uid = claims.ServiceAccountUid, Extra = extra };
    }

    // The uid of the object if it exists and is not being deleted, else null.
    private async Task<string?> LiveUidAsync(string plural, string ns, string name, CancellationToken ct)
    {
        var stored = await objects.GetStoredAsync(catalog.Find("", "v1", plural)!, ns, name, ct).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var metadata = ObjectStore.Metadata(stored.Object);
        return metadata["deletionTimestamp"] is not null ? null
            : metadata["uid"] is JsonValue v && v.TryGetValue<string>(out var uid) ? uid : null;
    }
}

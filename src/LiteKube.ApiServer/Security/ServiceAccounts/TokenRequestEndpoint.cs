using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security.Reviews;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Security.ServiceAccounts;

/// <summary>
/// <c>POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token</c>: upstream's TokenRequest
/// subresource (<c>kubectl create token</c>). Takes an authentication.k8s.io/v1 TokenRequest
/// and answers it with status.token and status.expirationTimestamp; nothing is stored.
/// </summary>
public sealed class TokenRequestEndpoint(
    ServiceAccountTokenCodec codec, ObjectStore objects, ResourceCatalog catalog, ApiServerSecurityOptions options, TimeProvider time)
{
    public const long DefaultExpirationSeconds = 3600;
    public const long MinExpirationSeconds = 600;
    public const long MaxExpirationSeconds = 1L << 32;

    private static readonly ResourceDefinition TokenRequests = new()
    {
        Group = "authentication.k8s.io",
        Version = "v1",
        Kind = "TokenRequest",
        Plural = "tokenrequests",
        Namespaced = true,
        ModelType = typeof(Authenticationv1TokenRequest),
    };

    public static bool Handles(RequestInfo info) =>
        info is { Group: "", Resource: "serviceaccounts", Subresource: "token" } && info.Name != "";

    public async Task ServeAsync(HttpContext context, RequestInfo info)
    {
        if (info.Verb != "create")
        {
            throw ApiException.MethodNotAllowed($"{info.Verb} is not supported on serviceaccounts/token; create a TokenRequest with POST");
        }

        var ct = context.RequestAborted;
        var account = await objects.GetAsync(catalog.Find("", "v1", "serviceaccounts")!, info.Namespace, info.Name, ct).ConfigureAwait(false);
        var request = await ReviewBodies.ReadAsync(context, TokenRequests, info.Namespace).ConfigureAwait(false);
        var spec = ReviewBodies.Spec(request);
        var expiration = ExpirationSeconds(spec);
        var audiences = ReviewBodies.Strings(spec["audiences"]);
        if (audiences.Count == 0)
        {
            audiences = options.ApiAudiences;
        }

        var bound = await BoundObjectAsync(spec, info.Namespace, info.Name, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var claims = new ServiceAccountTokenClaims
        {
            Namespace = info.Namespace,
            ServiceAccountName = info.Name,
            ServiceAccountUid = ReviewBodies.String(ObjectStore.Metadata(account), "uid"),
            Audiences = audiences,
            IssuedAt = now,
            Expiry = now.AddSeconds(expiration),
            Id = Guid.NewGuid().ToString(),
            BoundObject = bound,
        };

        spec["audiences"] = Rbac.RbacObjects.Array(audiences);
        spec["expirationSeconds"] = expiration;
        var metadata = ObjectStore.Metadata(request);
        metadata["name"] = info.Name;
        metadata["namespace"] = info.Namespace;
        metadata["creationTimestamp"] = ObjectStore.Rfc3339(now);
        request["status"] = new JsonObject
        {
            ["token"] = codec.Issue(claims),
            ["expirationTimestamp"] = ObjectStore.Rfc3339(claims.Expiry),
        };
        await StatusResponses.WriteJsonAsync(context, (int)HttpStatusCode.Created, request).ConfigureAwait(false);
    }

    private static long ExpirationSeconds(JsonObject spec)
    {
        if (spec["expirationSeconds"] is null)
        {
            return DefaultExpirationSeconds;
        }

        if (spec["expirationSeconds"] is not JsonValue v || !v.TryGetValue<long>(out var seconds))
        {
            throw Invalid("spec.expirationSeconds", spec["expirationSeconds"]!.ToJsonString(), "must be an integer number of seconds");
        }

        return seconds switch
        {
            < MinExpirationSeconds => throw Invalid("spec.expirationSeconds", seconds.ToString(CultureInfo.InvariantCulture), "may not specify a duration less than 10 minutes"),
            > MaxExpirationSeconds => throw Invalid("spec.expirationSeconds", seconds.ToString(CultureInfo.InvariantCulture), "may not specify a duration larger than 2^32 seconds"),
            _ => seconds,
        };
    }

    /// <summary>The object the token is to die with, checked to exist now (and to be the one
    /// the caller meant, when a uid is given).</summary>
    private async Task<BoundObjectReference?> BoundObjectAsync(JsonObject spec, string ns, string account, CancellationToken ct)
    {
        if (spec["boundObjectRef"] is not JsonObject reference)
        {
            return null;
        }

        var kind = ReviewBodies.String(reference, "kind");
        var name = ReviewBodies.String(reference, "name");
        var (plural, objectNamespace) = kind switch
        {
            "Pod" => ("pods", ns),
            "Secret" => ("secrets", ns),
            "Node" => ("nodes", ""),
            _ => throw ApiException.BadRequest($"cannot bind token for serviceaccount \"{account}\" to object of kind \"{kind}\""),
        };
        if (name == "")
        {
            throw Invalid("spec.boundObjectRef.name", "", "name is required");
        }

        var stored = await objects.GetAsync(catalog.Find("", "v1", plural)!, objectNamespace, name, ct).ConfigureAwait(false);
        var uid = ReviewBodies.String(ObjectStore.Metadata(stored), "uid");
        var wanted = ReviewBodies.String(reference, "uid");
        if (wanted != "" && wanted != uid)
        {
            throw ApiException.Conflict(plural, name,
                $"the UID in the bound object reference ({wanted}) does not match the UID in record ({uid}). The object might have been deleted and then recreated");
        }

        reference["uid"] = uid;
        return new BoundObjectReference(kind, name, uid);
    }

    private static ApiException Invalid(string field, string value, string detail) =>
        new((HttpStatusCode)422, "Invalid", $"TokenRequest.authentication.k8s.io is invalid: {field}: Invalid value: {value}: {detail}")
        {
            Details = new StatusDetails("", "TokenRequest", "authentication.k8s.io") { Causes = [new FieldError(field, "FieldValueInvalid", detail)] },
        };
}

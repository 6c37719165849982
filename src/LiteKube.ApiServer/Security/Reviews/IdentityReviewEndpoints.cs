using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Security.Reviews;

/// <summary>
/// authentication.k8s.io: SelfSubjectReview (who am I: <c>kubectl auth whoami</c>, also at
/// v1beta1 and v1alpha1, which kubectl 1.27 asks for) and TokenReview (is this token valid,
/// for whom; used by components that delegate authentication).
/// </summary>
public sealed class IdentityReviewEndpoints(RequestAuthenticator authenticator, ApiServerSecurityOptions options, ResourceCatalog catalog)
{
    public const string Group = "authentication.k8s.io";
    private static readonly HashSet<string> SelfSubjectReviewVersions = ["v1", "v1beta1", "v1alpha1"];

    public async Task<bool> TryServeAsync(HttpContext context, RequestInfo info, UserInfo user)
    {
        if (info.Group != Group || info.Verb != "create" || info.Name != "")
        {
            return false;
        }

        if (info.Resource == "selfsubjectreviews" && SelfSubjectReviewVersions.Contains(info.Version))
        {
            // The older versions have the v1 shape; only the apiVersion differs.
            var resource = catalog.Find(Group, "v1", "selfsubjectreviews")! with { Version = info.Version };
            var review = await ReviewBodies.ReadAsync(context, resource, "").ConfigureAwait(false);
            await ReviewBodies.WriteCreatedAsync(context, review, new JsonObject { ["userInfo"] = ReviewBodies.UserInfoJson(user) }).ConfigureAwait(false);
            return true;
        }

        if (info.Resource == "tokenreviews" && catalog.Find(info.Group, info.Version, info.Resource) is { } tokenReviews)
        {
            var review = await ReviewBodies.ReadAsync(context, tokenReviews, "").ConfigureAwait(false);
            await ReviewTokenAsync(context, review).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private async Task ReviewTokenAsync(HttpContext context, JsonObject review)
    {
        var spec = ReviewBodies.Spec(review);
        var token = ReviewBodies.String(spec, "token");
        if (token == "")
        {
            throw ApiException.BadRequest("token is required for TokenReview in authentication");
        }

        var requested = ReviewBodies.Strings(spec["audiences"]);
        var audiences = requested.Count > 0 ? requested : options.ApiAudiences;
        var (user, accepted, error) = await authenticator.AuthenticateTokenAsync(token, audiences.ToHashSet(), context.RequestAborted).ConfigureAwait(false);
        var status = new JsonObject { ["authenticated"] = user is not null };
        if (user is not null)
        {
            status["user"] = ReviewBodies.UserInfoJson(user);
            status["audiences"] = Rbac.RbacObjects.Array(accepted);
        }
        else
        {
            status["error"] = error;
        }

        // The answer does not repeat the secret it was asked about.
        spec.Remove("token");
        await ReviewBodies.WriteCreatedAsync(context, review, status).ConfigureAwait(false);
    }
}

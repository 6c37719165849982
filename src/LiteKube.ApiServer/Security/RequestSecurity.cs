using System.Net;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security.Authorization;
using LiteKube.ApiServer.Security.Rbac;
using LiteKube.ApiServer.Security.Reviews;
using LiteKube.ApiServer.Security.ServiceAccounts;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Security;

/// <summary>
/// The security steps of every request, in upstream's order: authenticate, then authorize;
/// and the endpoints security owns (the review kinds and serviceaccounts/token), served
/// before the generic resource handler.
/// </summary>
public sealed class RequestSecurity(
    RequestAuthenticator authenticator,
    RequestAuthorizer authorizer,
    RbacPolicyCache policies,
    AccessReviewEndpoints accessReviews,
    IdentityReviewEndpoints identityReviews,
    TokenRequestEndpoint tokenRequests)
{
    private static readonly object UserKey = new();

    /// <summary>The user of a request that passed <see cref="AdmitAsync"/>.</summary>
    public static UserInfo? UserOf(HttpContext context) => context.Items.TryGetValue(UserKey, out var user) ? user as UserInfo : null;

    /// <summary>Authenticates and authorizes the request. Throws 401 for invalid credentials,
    /// and for an anonymous request that is not allowed; 403 for a user who is not allowed.</summary>
    public async Task<UserInfo> AdmitAsync(HttpContext context, RequestInfo info)
    {
        var user = await authenticator.AuthenticateAsync(context).ConfigureAwait(false) ?? throw Unauthorized();
        var attributes = AuthorizationAttributes.For(user, info);
        var decision = await authorizer.AuthorizeAsync(attributes, context.RequestAborted).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            // Without credentials the answer is "log in", not "you may not".
            throw user.IsAnonymous ? Unauthorized() : Forbidden(attributes, decision.Reason);
        }

        context.Items[UserKey] = user;
        return user;
    }

    /// <summary>Serves the request if security owns it; false leaves it to the other handlers.</summary>
    public async Task<bool> TryServeAsync(HttpContext context, RequestInfo info, UserInfo user)
    {
        if (!info.IsResourceRequest)
        {
            return false;
        }

        if (TokenRequestEndpoint.Handles(info))
        {
            await tokenRequests.ServeAsync(context, info).ConfigureAwait(false);
            return true;
        }

        return await accessReviews.TryServeAsync(context, info, user).ConfigureAwait(false)
            || await identityReviews.TryServeAsync(context, info, user).ConfigureAwait(false);
    }

    /// <summary>Checks a decoded object before the resource handler stores it (create, update,
    /// patch): RBAC objects must not grant more than their author holds (upstream's escalation
    /// prevention). Other resources pass. Throws 403 Forbidden.</summary>
    public async Task AdmitWriteAsync(HttpContext context, ResourceDefinition resource, string ns, System.Text.Json.Nodes.JsonObject obj)
    {
        if (resource.Group != EscalationPrevention.Group)
        {
            return;
        }

        var user = UserOf(context) ?? throw new InvalidOperationException("AdmitWriteAsync needs a request that passed AdmitAsync");
        var policy = await policies.GetFreshAsync(context.RequestAborted).ConfigureAwait(false);
        if (EscalationPrevention.Refusal(policy, user, resource.Plural, ns, obj) is { } refusal)
        {
            var name = RbacObjects.Identity(obj).Name;
            throw new ApiException(HttpStatusCode.Forbidden, "Forbidden", $"{resource.QualifiedName} \"{name}\" is forbidden: {refusal}")
            {
                Details = new StatusDetails(name, resource.Plural, resource.Group),
            };
        }
    }

    private static ApiException Unauthorized() => new(HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized");

    /// <summary>Upstream's ForbiddenStatusError: "pods is forbidden: User ... cannot ...".</summary>
    public static ApiException Forbidden(AuthorizationAttributes attributes, string reason)
    {
        var message = attributes.DenialMessage();
        if (reason != "")
        {
            message = $"{message}: {reason}";
        }

        if (!attributes.IsResourceRequest)
        {
            return new ApiException(HttpStatusCode.Forbidden, "Forbidden", $"forbidden: {message}");
        }

        var qualified = attributes.ApiGroup == "" ? attributes.Resource : $"{attributes.Resource}.{attributes.ApiGroup}";
        var prefix = attributes.Name == "" ? $"{qualified} is forbidden" : $"{qualified} \"{attributes.Name}\" is forbidden";
        return new ApiException(HttpStatusCode.Forbidden, "Forbidden", $"{prefix}: {message}")
        {
            Details = new StatusDetails(attributes.Name, attributes.Resource, attributes.ApiGroup),
        };
    }
}

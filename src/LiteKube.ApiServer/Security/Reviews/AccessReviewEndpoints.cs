using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Requests;
using LiteKube.ApiServer.Resources;
using LiteKube.ApiServer.Security.Authorization;
using LiteKube.ApiServer.Security.Rbac;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Security.Reviews;

/// <summary>
/// authorization.k8s.io/v1: SelfSubjectAccessReview (can I?), SubjectAccessReview and
/// LocalSubjectAccessReview (can they?), SelfSubjectRulesReview (what may I do here?). Each
/// answers from the same authorizer that judges requests, so <c>kubectl auth can-i</c> tells
/// the truth. The caller's right to create the review itself was checked like any request.
/// </summary>
public sealed class AccessReviewEndpoints(RequestAuthorizer authorizer, ResourceCatalog catalog)
{
    public const string Group = "authorization.k8s.io";

    public async Task<bool> TryServeAsync(HttpContext context, RequestInfo info, UserInfo user)
    {
        if (info.Group != Group || info.Verb != "create" || info.Name != "" || catalog.Find(info.Group, info.Version, info.Resource) is not { } resource)
        {
            return false;
        }

        var review = await ReviewBodies.ReadAsync(context, resource, info.Namespace).ConfigureAwait(false);
        var spec = ReviewBodies.Spec(review);
        var ct = context.RequestAborted;
        JsonObject status;
        switch (info.Resource)
        {
            case "selfsubjectaccessreviews":
                status = await DecideAsync(Attributes(resource, spec, user, ""), ct).ConfigureAwait(false);
                break;
            case "subjectaccessreviews":
                status = await DecideAsync(Attributes(resource, spec, Subject(resource, spec), ""), ct).ConfigureAwait(false);
                break;
            case "localsubjectaccessreviews":
                status = await DecideAsync(Attributes(resource, spec, Subject(resource, spec), info.Namespace), ct).ConfigureAwait(false);
                break;
            case "selfsubjectrulesreviews":
                status = await RulesAsync(user, ReviewBodies.String(spec, "namespace"), ct).ConfigureAwait(false);
                break;
            default:
                return false;
        }

        await ReviewBodies.WriteCreatedAsync(context, review, status).ConfigureAwait(false);
        return true;
    }

    private async Task<JsonObject> DecideAsync(AuthorizationAttributes attributes, CancellationToken ct)
    {
        var decision = await authorizer.AuthorizeAsync(attributes, ct).ConfigureAwait(false);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason != "")
        {
            status["reason"] = decision.Reason;
        }

        return status;
    }

    private async Task<JsonObject> RulesAsync(UserInfo user, string ns, CancellationToken ct)
    {
        var (rules, errors) = await authorizer.RulesForAsync(user, ns, ct).ConfigureAwait(false);
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in rules)
        {
            if (rule.Resources.Count > 0)
            {
                var json = new JsonObject { ["verbs"] = RbacObjects.Array(rule.Verbs), ["apiGroups"] = RbacObjects.Array(rule.ApiGroups), ["resources"] = RbacObjects.Array(rule.Resources) };
                if (rule.ResourceNames.Count > 0)
                {
                    json["resourceNames"] = RbacObjects.Array(rule.ResourceNames);
                }

                resourceRules.Add(json);
            }

            if (rule.NonResourceUrls.Count > 0)
            {
                nonResourceRules.Add(new JsonObject { ["verbs"] = RbacObjects.Array(rule.Verbs), ["nonResourceURLs"] = RbacObjects.Array(rule.NonResourceUrls) });
            }
        }

        var status = new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = errors.Count > 0 };
        if (errors.Count > 0)
        {
            status["evaluationError"] = RbacAuthorizer.Aggregate(errors);
        }

        return status;
    }

    /// <summary>The request a review asks about. <paramref name="localNamespace"/> is the URL's
    /// namespace of a LocalSubjectAccessReview, which the attributes must name.</summary>
    private static AuthorizationAttributes Attributes(ResourceDefinition resource, JsonObject spec, UserInfo user, string localNamespace)
    {
        var resourceAttributes = spec["resourceAttributes"] as JsonObject;
        var nonResourceAttributes = spec["nonResourceAttributes"] as JsonObject;
        if (resource.Plural == "localsubjectaccessreviews")
        {
            if (nonResourceAttributes is not null)
            {
                throw ReviewBodies.Invalid(resource, "spec.nonResourceAttributes", "disallowed on this kind of request");
            }

            if (resourceAttributes is null)
            {
                throw ReviewBodies.Invalid(resource, "spec.resourceAttributes", "resourceAttributes is required");
            }

            if (ReviewBodies.String(resourceAttributes, "namespace") != localNamespace)
            {
                throw ApiException.BadRequest($"spec.resourceAttributes.namespace must match namespace: {localNamespace}");
            }
        }

        if (resourceAttributes is not null && nonResourceAttributes is not null)
        {
            throw ReviewBodies.Invalid(resource, "spec.nonResourceAttributes", "cannot be specified in combination with resourceAttributes");
        }

        if (nonResourceAttributes is not null)
        {
            return new AuthorizationAttributes
            {
                User = user,
                Verb = ReviewBodies.String(nonResourceAttributes, "verb"),
                Path = ReviewBodies.String(nonResourceAttributes, "path"),
            };
        }

        if (resourceAttributes is null)
        {
            throw ReviewBodies.Invalid(resource, "spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        return new AuthorizationAttributes
        {
            User = user,
            IsResourceRequest = true,
            Verb = ReviewBodies.String(resourceAttributes, "verb"),
            Namespace = ReviewBodies.String(resourceAttributes, "namespace"),
            ApiGroup = ReviewBodies.String(resourceAttributes, "group"),
            ApiVersion = ReviewBodies.String(resourceAttributes, "version"),
            Resource = ReviewBodies.String(resourceAttributes, "resource"),
            Subresource = ReviewBodies.String(resourceAttributes, "subresource"),
            Name = ReviewBodies.String(resourceAttributes, "name"),
        };
    }

    /// <summary>The user a (Local)SubjectAccessReview asks about, exactly as given: no
    /// system:authenticated is added, as upstream.</summary>
    private static UserInfo Subject(ResourceDefinition resource, JsonObject spec)
    {
        var name = ReviewBodies.String(spec, "user");
        var groups = ReviewBodies.Strings(spec["groups"]);
        if (name == "" && groups.Count == 0)
        {
            throw ReviewBodies.Invalid(resource, "spec.user", "at least one of user or group must be specified");
        }

        var extra = spec["extra"] is JsonObject extraJson
            ? extraJson.ToDictionary(e => e.Key, e => ReviewBodies.Strings(e.Value))
            : [];
        return new UserInfo(name, groups) { Uid = ReviewBodies.String(spec, "uid"), Extra = extra };
    }
}

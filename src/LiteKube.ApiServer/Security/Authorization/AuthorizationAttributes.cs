using LiteKube.ApiServer.Requests;

namespace LiteKube.ApiServer.Security.Authorization;

/// <summary>What a request asks to do, as an authorizer sees it (upstream's authorizer.Attributes).
/// Resource requests use the resource fields; non-resource requests use Path.</summary>
public sealed record AuthorizationAttributes
{
    public required UserInfo User { get; init; }
    /// <summary>get, list, watch, create, update, patch, delete, deletecollection, or for
    /// non-resource requests the lower-case HTTP method.</summary>
    public required string Verb { get; init; }
    public bool IsResourceRequest { get; init; }
    public string Path { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string ApiGroup { get; init; } = "";
    public string ApiVersion { get; init; } = "";
    public string Resource { get; init; } = "";
    public string Subresource { get; init; } = "";
    public string Name { get; init; } = "";

    public static AuthorizationAttributes For(UserInfo user, RequestInfo request) => new()
    {
        User = user,
        Verb = request.Verb,
        IsResourceRequest = request.IsResourceRequest,
        Path = request.Path,
        Namespace = request.Namespace,
        ApiGroup = request.Group,
        ApiVersion = request.Version,
        Resource = request.Resource,
        Subresource = request.Subresource,
        Name = request.Name,
    };

    /// <summary>Upstream's forbiddenMessage: how a denial names what was refused.</summary>
    public string DenialMessage()
    {
        if (!IsResourceRequest)
        {
            return $"User \"{User.Name}\" cannot {Verb} path \"{Path}\"";
        }

        var resource = Subresource == "" ? Resource : $"{Resource}/{Subresource}";
        return Namespace != ""
            ? $"User \"{User.Name}\" cannot {Verb} resource \"{resource}\" in API group \"{ApiGroup}\" in the namespace \"{Namespace}\""
            : $"User \"{User.Name}\" cannot {Verb} resource \"{resource}\" in API group \"{ApiGroup}\" at the cluster scope";
    }
}

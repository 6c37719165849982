namespace LiteKube.ApiServer.Requests;

/// <summary>
/// Parses request paths as upstream's RequestInfoFactory does:
/// <c>/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]</c> and the same under
/// <c>/apis/{group}/{version}</c>. Pure: no I/O.
/// </summary>
public static class RequestInfoParser
{
    // Subresources of a namespace itself (/api/v1/namespaces/x/status), not resources inside it.
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    public static RequestInfo Parse(string method, string path, bool watchQuery)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResource = new RequestInfo { Verb = method.ToLowerInvariant(), Path = path };
        if (parts.Length == 0 || (parts[0] != "api" && parts[0] != "apis"))
        {
            return nonResource;
        }

        var prefix = parts[0];
        string group;
        string version;
        int rest;
        if (prefix == "api")
        {
            if (parts.Length < 3)
            {
                return nonResource with { ApiPrefix = prefix, Version = parts.Length > 1 ? parts[1] : "" };
            }

            (group, version, rest) = ("", parts[1], 2);
        }
        else
        {
            if (parts.Length < 4)
            {
                return nonResource with
                {
                    ApiPrefix = prefix,
                    Group = parts.Length > 1 ? parts[1] : "",
                    Version = parts.Length > 2 ? parts[2] : "",
                };
            }

            (group, version, rest) = (parts[1], parts[2], 3);
        }

        var segments = parts[rest..];
        var ns = "";
        if (segments[0] == "namespaces" && segments.Length > 1)
        {
            ns = segments[1];
            if (segments.Length > 2 && !NamespaceSubresources.Contains(segments[2]))
            {
                segments = segments[2..];
            }
        }

        var resource = segments[0];
        var name = segments.Length > 1 ? segments[1] : "";
        var subresource = segments.Length > 2 ? segments[2] : "";
        if (resource == "namespaces" && ns == name)
        {
            // /api/v1/namespaces/x names the namespace object, which lives in no namespace.
            ns = "";
        }

        return new RequestInfo
        {
            Verb = Verb(method, name, watchQuery),
            Path = path,
            IsResourceRequest = segments.Length <= 3,
            ApiPrefix = prefix,
            Group = group,
            Version = version,
            Namespace = ns,
            Resource = resource,
            Name = name,
            Subresource = subresource,
        };
    }

    private static string Verb(string method, string name, bool watch) => method.ToUpperInvariant() switch
    {
        "GET" or "HEAD" when watch => "watch",
        "GET" or "HEAD" => name == "" ? "list" : "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => name == "" ? "deletecollection" : "delete",
        _ => method.ToLowerInvariant(),
    };
}

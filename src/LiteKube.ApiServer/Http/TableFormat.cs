using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http;

/// <summary>Whether a request asked for a Table (Accept ...;as=Table;g=meta.k8s.io;v=v1|v1beta1),
/// in which version, and how much of each object its rows carry (includeObject).</summary>
public sealed record TableFormat(string ApiVersion, string IncludeObject)
{
    public static TableFormat? From(HttpRequest request)
    {
        foreach (var option in request.Headers.Accept.ToString().Split(','))
        {
            var parameters = option.Split(';').Select(p => p.Trim()).ToList();
            if (!parameters.Contains("as=Table") || !parameters.Contains("g=meta.k8s.io"))
            {
                continue;
            }

            var version = parameters.Contains("v=v1") ? "meta.k8s.io/v1" : parameters.Contains("v=v1beta1") ? "meta.k8s.io/v1beta1" : null;
            if (version is not null)
            {
                var include = request.Query["includeObject"].ToString();
                if (include is not ("" or "None" or "Metadata" or "Object"))
                {
                    throw ApiException.BadRequest($"invalid includeObject \"{include}\": must be None, Metadata or Object");
                }

                return new TableFormat(version, include == "" ? "Metadata" : include);
            }
        }

        return null;
    }
}

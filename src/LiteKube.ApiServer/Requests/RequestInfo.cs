namespace LiteKube.ApiServer.Requests;

/// <summary>What a request path and method mean in Kubernetes terms (upstream's RequestInfo).</summary>
public sealed record RequestInfo
{
    public required string Verb { get; init; }
    public required string Path { get; init; }
    /// <summary>False for discovery, /version, health and other non-resource paths.</summary>
    public bool IsResourceRequest { get; init; }
    public string ApiPrefix { get; init; } = "";
    public string Group { get; init; } = "";
    public string Version { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Resource { get; init; } = "";
    public string Name { get; init; } = "";
    public string Subresource { get; init; } = "";
}

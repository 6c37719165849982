namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// One HTTP operation on a path, independent of the OpenAPI dialect it is written in.
/// Body and response schemas are definition names; null means a plain string (logs, exec).
/// </summary>
internal sealed record ApiOperation
{
    /// <summary>Lower-case HTTP method: get, put, post, patch, delete.</summary>
    public required string Method { get; init; }

    /// <summary>x-kubernetes-action: get, list, watch, watchlist, post, put, patch, delete,
    /// deletecollection, connect.</summary>
    public required string Action { get; init; }

    public required string OperationId { get; init; }

    public required string Description { get; init; }

    /// <summary>x-kubernetes-group-version-kind: the kind the operation is about.</summary>
    public required (string Group, string Version, string Kind) Kind { get; init; }

    public required string Tag { get; init; }

    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    public string? Body { get; init; }

    public IReadOnlyList<string> BodyMediaTypes { get; init; } = [];

    /// <summary>Status code -> (description, definition name or null for a string).</summary>
    public required IReadOnlyList<(int Code, string Description, string? Schema)> Responses { get; init; }

    public required IReadOnlyList<string> ResponseMediaTypes { get; init; }
}

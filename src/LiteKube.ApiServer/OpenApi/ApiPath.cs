namespace LiteKube.ApiServer.OpenApi;

/// <summary>A path with the parameters all its operations share (name, namespace, pretty).</summary>
internal sealed record ApiPath(string Path, IReadOnlyList<ApiParameter> Parameters, IReadOnlyList<ApiOperation> Operations);

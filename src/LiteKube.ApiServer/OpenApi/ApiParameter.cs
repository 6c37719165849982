namespace LiteKube.ApiServer.OpenApi;

/// <summary>A path or query parameter of an operation.</summary>
/// <param name="In">"path" or "query".</param>
/// <param name="Type">"string", "boolean" or "integer".</param>
internal sealed record ApiParameter(string Name, string In, string Type, string Description, bool Required = false);

namespace LiteKube.ApiServer.OpenApi;

/// <summary>A generated document as served: its UTF-8 JSON and the upper-case hex SHA-512 of
/// those bytes, which is both its ETag and the <c>hash</c> of its URL in the v3 root.</summary>
public sealed record SerializedDocument(byte[] Json, string Hash);

namespace LiteKube.ApiServer.OpenApi;

/// <summary>A generated document as served: its bytes (UTF-8 JSON, or protobuf for the v2
/// protobuf form) and the upper-case hex SHA-512 of those bytes, which is both its ETag and
/// the <c>hash</c> of its URL in the v3 root.</summary>
public sealed record SerializedDocument(byte[] Content, string Hash)
{
    public static SerializedDocument Of(byte[] content) =>
        new(content, Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(content)));
}

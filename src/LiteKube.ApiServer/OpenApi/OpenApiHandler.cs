using System.Globalization;
using System.Net;
using LiteKube.ApiServer.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// Serves <c>/openapi/v3</c> (the root listing each group version's hashed URL),
/// <c>/openapi/v3/api/v1</c> and <c>/openapi/v3/apis/GROUP/VERSION</c> (OpenAPI 3.0), and
/// <c>/openapi/v2</c> (Swagger 2.0), as upstream's kube-openapi handlers do: an ETag that is
/// the document's hash, 304 for a matching If-None-Match, and for a URL with the current
/// <c>?hash=</c> cache headers that let clients keep the document forever; a stale hash is
/// redirected to the current one.
/// </summary>
public sealed class OpenApiHandler(OpenApiDocuments documents, TimeProvider time)
{
    /// <summary>What client-go asks /openapi/v2 for: gnostic's protobuf encoding.</summary>
    public const string ProtobufV2 = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /// <summary>The Content-Type of the protobuf answer. '@' is not allowed in a media type, and
    /// client-go's content-type parser rejects it (an "Internal error" in kubectl), so upstream
    /// answers with '.' in its place and accepts both spellings.</summary>
    public const string ProtobufV2ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private const string V3Prefix = "/openapi/v3/";

    public async Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            throw ApiException.MethodNotAllowed($"the server does not allow this method on {request.Path}: only GET");
        }

        var path = (request.Path.Value ?? "").TrimEnd('/');
        var accept = request.Headers.Accept.ToString();
        SerializedDocument document;
        var contentType = "application/json";
        if (path == "/openapi/v2")
        {
            var protobuf = Negotiate(accept, ProtobufV2, ProtobufV2ContentType) != "application/json";
            (document, contentType) = protobuf ? (documents.V2Protobuf, ProtobufV2ContentType) : (documents.V2, contentType);
        }
        else if (path == "/openapi/v3")
        {
            Negotiate(accept);
            document = documents.V3Root;
        }
        else if (path.StartsWith(V3Prefix, StringComparison.Ordinal))
        {
            Negotiate(accept);
            var groupVersion = path[V3Prefix.Length..];
            document = documents.V3(groupVersion)
                ?? throw new ApiException(HttpStatusCode.NotFound, "NotFound", $"no OpenAPI v3 document for {groupVersion}");
            if (!IsCurrentHash(context, groupVersion, document))
            {
                return;
            }
        }
        else
        {
            throw new ApiException(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");
        }

        await WriteAsync(context, document, contentType).ConfigureAwait(false);
    }

    /// <summary>A client that names a hash caches by it: the current hash gets "keep forever"
    /// headers, a stale one a permanent redirect to the current URL, as kube-openapi does.</summary>
    private bool IsCurrentHash(HttpContext context, string groupVersion, SerializedDocument document)
    {
        var hash = context.Request.Query["hash"].ToString();
        if (hash == "")
        {
            return true;
        }

        if (!string.Equals(hash, document.Hash, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = OpenApiDocuments.ServerRelativeUrl(groupVersion, document.Hash);
            return false;
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "public, immutable";
        headers.Expires = time.GetUtcNow().AddYears(1).ToString("R", CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The first media type of the Accept header that is served: JSON, or one of
    /// <paramref name="alternatives"/> where a document has them; 406 when none is.</summary>
    private static string Negotiate(string accept, params string[] alternatives)
    {
        if (accept.Length == 0)
        {
            return "application/json";
        }

        foreach (var range in accept.Split(','))
        {
            var mediaType = range.Split(';')[0].Trim();
            if (mediaType is "application/json" or "*/*" or "application/*")
            {
                return "application/json";
            }

            if (alternatives.FirstOrDefault(a => string.Equals(mediaType, a, StringComparison.OrdinalIgnoreCase)) is { } alternative)
            {
                return alternative;
            }
        }

        throw new ApiException(HttpStatusCode.NotAcceptable, "NotAcceptable",
            $"the server cannot serve this OpenAPI document as \"{accept}\": it serves {string.Join(", ", alternatives.Prepend("application/json"))}");
    }

    private static async Task WriteAsync(HttpContext context, SerializedDocument document, string contentType)
    {
        var etag = $"\"{document.Hash}\"";
        var response = context.Response;
        response.Headers.ETag = etag;
        // The representation depends on Accept (v2 is JSON or protobuf): caches must key on it.
        response.Headers.Vary = "Accept";
        if (Matches(context.Request.Headers.IfNoneMatch.ToString(), etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = document.Content.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(document.Content, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static bool Matches(string ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Length == 0)
        {
            return false;
        }

        return EntityTagHeaderValue.TryParseList([ifNoneMatch], out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http;

/// <summary>
/// Writes JSON bodies straight into the response pipe, a list item by item with a flush every
/// <see cref="FlushThreshold"/> bytes. Rendering a body to a string first made a cluster-wide
/// list of 5,000 pods a 14 MB string plus its growing UTF-8 buffers on every request: large-object
/// garbage that the GC collects rarely and the shared array pool keeps, hundreds of MiB committed
/// under list load.
/// </summary>
public static class ResponseBodies
{
    public const int FlushThreshold = 64 * 1024;

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode body, string contentType)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        var pipe = context.Response.BodyWriter;
        await using (var json = new Utf8JsonWriter(pipe, WriterOptions))
        {
            body.WriteTo(json, StatusResponses.Json);
        }

        await pipe.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="head"/>'s properties (kind, apiVersion, metadata) and then
    /// <c>"items"</c>, sending each full <see cref="FlushThreshold"/> as it is reached.</summary>
    public static async Task WriteListAsync(HttpContext context, JsonObject head, IEnumerable<JsonObject> items)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var pipe = context.Response.BodyWriter;
        await using (var json = new Utf8JsonWriter(pipe, WriterOptions))
        {
            json.WriteStartObject();
            foreach (var (name, value) in head)
            {
                json.WritePropertyName(name);
                WriteValue(json, value);
            }

            json.WriteStartArray("items");
            foreach (var item in items)
            {
                item.WriteTo(json, StatusResponses.Json);
                if (json.BytesPending >= FlushThreshold)
                {
                    json.Flush();
                    await pipe.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await pipe.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = StatusResponses.Json.Encoder };

    private static void WriteValue(Utf8JsonWriter json, JsonNode? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            value.WriteTo(json, StatusResponses.Json);
        }
    }
}

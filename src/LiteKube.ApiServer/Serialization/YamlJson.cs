using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LiteKube.ApiServer.Serialization;

/// <summary>
/// Turns one YAML document into JSON the way the Kubernetes API server's YAML decoding
/// (sigs.k8s.io/yaml over go-yaml v2) does: scalars typed by <see cref="YamlScalars"/>, map
/// keys turned into strings (null and collection keys refused), anchors and aliases resolved
/// (bounded against alias bombs), merge keys (<c>&lt;&lt;</c>) applied, a second document refused.
/// Pure: no I/O, one call per body.
/// </summary>
public static class YamlJson
{
    /// <summary>Nesting limit, the same as the JSON body reader's.</summary>
    public const int MaxDepth = 128;

    /// <summary>Nodes that aliases may add beyond the document's own nodes, plus a multiple of
    /// them: a normal manifest reuses an anchor a few times; a billion-laughs body multiplies.</summary>
    public const int AliasBaseAllowance = 100_000;

    public const int AliasRatio = 10;

    /// <summary>The document's JSON value (null for an empty body or a YAML null).</summary>
    public static JsonNode? Parse(string yaml) => Parse(yaml, out _);

    /// <summary>As <see cref="Parse(string)"/>, also listing keys set twice in one mapping
    /// (dotted paths): the later value wins, and strict field validation refuses them.</summary>
    public static JsonNode? Parse(string yaml, out IReadOnlyList<string> duplicateKeys)
    {
        var builder = new YamlJsonBuilder();
        try
        {
            var parser = new Parser(new StringReader(yaml));
            var result = builder.Build(parser);
            duplicateKeys = builder.DuplicateKeys;
            return result;
        }
        catch (YamlException e)
        {
            throw new YamlJsonException($"error converting YAML to JSON: {FirstLine(e.Message)} (line {e.Start.Line}, column {e.Start.Column})");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed input instead of a YamlException.
            throw new YamlJsonException($"error converting YAML to JSON: {FirstLine(e.Message)}");
        }
    }

    /// <summary>Decodes the body's text (UTF-8, or UTF-16 with a byte-order mark) and parses it.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> body, out IReadOnlyList<string> duplicateKeys) =>
        Parse(Decode(body), out duplicateKeys);

    private static string Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            if (body.StartsWith(new byte[] { 0xFF, 0xFE }))
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(body[2..]);
            }

            if (body.StartsWith(new byte[] { 0xFE, 0xFF }))
            {
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(body[2..]);
            }

            if (body.StartsWith("\uFEFF"u8))
            {
                body = body[3..];
            }

            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new YamlJsonException("error converting YAML to JSON: the body is not valid UTF-8");
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}

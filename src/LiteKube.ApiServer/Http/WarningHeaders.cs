using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Http;

/// <summary>Upstream's <c>Warning: 299 - "text"</c> response headers. The text often quotes
/// client input (field names), which may hold control or non-ASCII characters that HTTP
/// headers cannot carry, so those are escaped as \uXXXX.</summary>
public static class WarningHeaders
{
    public static void Add(HttpResponse response, string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                escaped.Append('\\').Append(c);
            }
            else if (c is < ' ' or > '~')
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        response.Headers.Append("Warning", $"299 - \"{escaped}\"");
    }
}

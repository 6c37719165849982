using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Registry;

/// <summary>
/// A list continuation: the revision of the first page and the next key to read, so that every
/// page of one list is served at the same revision (a consistent list). Base64 JSON, like
/// upstream's, and opaque to clients.
/// </summary>
public static class ContinueToken
{
    public static string Create(string lastKey, long revision)
    {
        var json = new JsonObject { ["v"] = "litekube.continue/v1", ["rv"] = revision, ["start"] = lastKey + "\0" };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    /// <summary>(start key, revision) or (null, 0) for a first page. Rejects tokens that are not
    /// ours or that point outside the listed prefix.</summary>
    public static (string? StartKey, long Revision) Parse(string? token, string prefix)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, 0);
        }

        try
        {
            var json = JsonNode.Parse(Convert.FromBase64String(token))!.AsObject();
            var start = json["start"]!.GetValue<string>();
            var revision = json["rv"]!.GetValue<long>();
            if (json["v"]?.GetValue<string>() != "litekube.continue/v1" || !start.StartsWith(prefix, StringComparison.Ordinal) || revision <= 0)
            {
                throw new FormatException("not a continue token of this list");
            }

            return (start, revision);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiException.BadRequest($"invalid continue token: {e.Message}".ToString(CultureInfo.InvariantCulture));
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;

namespace LiteKube.ApiServer.Selectors;

/// <summary>
/// A parsed field selector: comma-separated <c>field=value</c>, <c>field==value</c> or
/// <c>field!=value</c> (backslash escapes , = and !). Only the fields a kind supports are
/// accepted, as upstream refuses others with 400, so that a typo never silently matches all.
/// </summary>
public sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public bool IsEverything => _terms.Count == 0;

    public static FieldSelector Parse(string? text, ResourceDefinition resource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var term in SplitUnescaped(text, ','))
        {
            var (field, equal, value) = ParseTerm(term);
            if (!SupportedFields.For(resource).Contains(field))
            {
                throw ApiException.BadRequest($"\"{field}\" is not a known field selector: only \"{string.Join("\", \"", SupportedFields.For(resource))}\"");
            }

            terms.Add((field, equal, value));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => Matches(field => SupportedFields.Value(obj, field));

    /// <summary>Matches against precomputed field values (see <see cref="SupportedFields.ValuesOf"/>).</summary>
    public bool Matches(Func<string, string> valueOf) =>
        _terms.All(t => (valueOf(t.Field) == t.Value) == t.Equal);

    /// <summary>The value a term requires for a field, if it pins one (used to narrow a list).</summary>
    public string? RequiredValue(string field) =>
        _terms.Where(t => t.Field == field && t.Equal).Select(t => t.Value).FirstOrDefault();

    private static (string Field, bool Equal, string Value) ParseTerm(string term)
    {
        foreach (var (token, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = IndexOfUnescaped(term, token);
            if (at > 0)
            {
                return (term[..at].Trim(), equal, Unescape(term[(at + token.Length)..].Trim()));
            }
        }

        throw ApiException.BadRequest($"invalid selector: '{term}'; can't understand '{term}'");
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static int IndexOfUnescaped(string text, string token)
    {
        for (var i = 0; i + token.Length <= text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            result.Append(value[i]);
        }

        return result.ToString();
    }
}

using System.Text;

namespace LiteKube.Benchmarks.Report;

/// <summary>
/// RESULTS.md holds one section per suite, between <c>&lt;!-- suite: NAME --&gt;</c> and
/// <c>&lt;!-- /suite: NAME --&gt;</c>, so recording one suite keeps the others' latest results.
/// A file without markers is one old datastore result and becomes the datastore section.
/// </summary>
public static class ResultsSections
{
    private static readonly string[] Order = ["datastore", "api"];

    public static async Task WriteAsync(string file, string suite, string content, CancellationToken cancellationToken)
    {
        var existing = File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : "";
        await File.WriteAllTextAsync(file, Merge(existing, suite, content), cancellationToken);
    }

    /// <summary>The file's sections with <paramref name="suite"/>'s replaced, in a fixed order.</summary>
    public static string Merge(string existing, string suite, string content)
    {
        var sections = Parse(existing);
        sections[suite] = content.TrimEnd() + "\n";
        var md = new StringBuilder();
        foreach (var name in Order.Where(sections.ContainsKey).Concat(sections.Keys.Except(Order).Order(StringComparer.Ordinal)))
        {
            if (md.Length > 0)
            {
                md.Append('\n');
            }

            md.Append($"<!-- suite: {name} -->\n").Append(sections[name]).Append($"<!-- /suite: {name} -->\n");
        }

        return md.ToString();
    }

    private static Dictionary<string, string> Parse(string text)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!text.Contains("<!-- suite: ", StringComparison.Ordinal))
        {
            if (text.Trim().Length > 0)
            {
                sections["datastore"] = text.TrimEnd() + "\n";
            }

            return sections;
        }

        var at = 0;
        while ((at = text.IndexOf("<!-- suite: ", at, StringComparison.Ordinal)) >= 0)
        {
            var nameEnd = text.IndexOf(" -->", at, StringComparison.Ordinal);
            var name = text[(at + "<!-- suite: ".Length)..nameEnd];
            var bodyStart = nameEnd + " -->".Length + 1;
            var close = text.IndexOf($"<!-- /suite: {name} -->", bodyStart, StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }

            sections[name] = text[bodyStart..close];
            at = close;
        }

        return sections;
    }
}

using System.Collections.Frozen;
using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace LiteKube.ApiServer.OpenApi;

/// <summary>
/// The descriptions of the k8s.Models types and properties (the upstream API documentation,
/// as the KubernetesClient package's XML doc file carries it), which <c>kubectl explain</c>
/// prints. The build extracts them into an embedded resource (see ModelDocumentation.targets);
/// they are read on first use, so a server that is never asked for OpenAPI never pays for them.
/// Thread-safe.
/// </summary>
public sealed class ModelDocumentation
{
    private const string ResourceName = "LiteKube.ApiServer.OpenApi.k8s-model-docs.tsv.gz";

    private readonly Lazy<FrozenDictionary<string, string>> _entries;

    private ModelDocumentation(Func<FrozenDictionary<string, string>> load) =>
        _entries = new Lazy<FrozenDictionary<string, string>>(load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The descriptions embedded in this assembly.</summary>
    public static ModelDocumentation Embedded { get; } = new(LoadEmbedded);

    /// <summary>Number of documented types and properties (0 would mean a broken build).</summary>
    public int Count => _entries.Value.Count;

    /// <summary>The description of a model type, or null when it has none.</summary>
    public string? For(Type type) => Lookup(type.FullName);

    /// <summary>The description of a model property, or null when it has none.</summary>
    public string? For(PropertyInfo property) => Lookup($"{property.DeclaringType?.FullName}.{property.Name}");

    private string? Lookup(string? key) => key is not null && _entries.Value.TryGetValue(key, out var text) ? text : null;

    private static FrozenDictionary<string, string> LoadEmbedded()
    {
        using var stream = typeof(ModelDocumentation).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly lacks the embedded resource {ResourceName}: the build did not run ModelDocumentation.targets");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                entries[line[..tab]] = Normalize(Unescape(line[(tab + 1)..]));
            }
        }

        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Undoes the build step's escaping of backslash, tab and newline.</summary>
    internal static string Unescape(string escaped)
    {
        var text = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 1 < escaped.Length)
            {
                i++;
                text.Append(escaped[i] switch { 'n' => '\n', 't' => '\t', var c => c });
            }
            else
            {
                text.Append(escaped[i]);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Turns the XML doc layout back into upstream's: the generator wrapped each description at
    /// 80 columns and indented it, and kept paragraph breaks as empty lines. Lines of a paragraph
    /// are joined with a space; paragraphs are separated by a blank line, as upstream writes them.
    /// </summary>
    internal static string Normalize(string summary)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var raw in summary.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length > 0)
            {
                current.Add(line);
            }
            else if (current.Count > 0)
            {
                paragraphs.Add(string.Join(' ', current));
                current.Clear();
            }
        }

        if (current.Count > 0)
        {
            paragraphs.Add(string.Join(' ', current));
        }

        return string.Join("\n\n", paragraphs);
    }
}

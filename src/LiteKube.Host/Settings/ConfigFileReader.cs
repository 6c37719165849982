using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LiteKube.Host.Settings;

/// <summary>Reads the YAML config file: one mapping of setting names to scalar values
/// (<c>data-dir: /x</c>, <c>etcd-port: 2479</c>). An empty file, or one with only comments,
/// sets nothing. Unknown keys are refused rather than ignored so that a typo is not silently
/// a default.</summary>
public static class ConfigFileReader
{
    public static IReadOnlyDictionary<string, string> Read(string path, IReadOnlyCollection<string> knownKeys)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"config file {path}: cannot read it: {e.Message}", e);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new SettingsException($"config file {path}: line {e.Start.Line}: {OneLine(e.Message)}", e);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0)
        {
            return values;
        }
        if (stream.Documents.Count > 1)
        {
            throw new SettingsException($"config file {path}: expected one YAML document, found {stream.Documents.Count}");
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return values;
        }
        if (root is not YamlMappingNode mapping)
        {
            throw new SettingsException($"config file {path}: line {root.Start.Line}: expected a mapping of settings such as 'data-dir: /var/lib/litekube'");
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var line = keyNode.Start.Line;
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw new SettingsException($"config file {path}: line {line}: keys must be setting names");
            }
            if (!knownKeys.Contains(key))
            {
                throw new SettingsException($"config file {path}: line {line}: unknown setting '{key}' (known: {string.Join(", ", knownKeys)})");
            }
            if (valueNode is not YamlScalarNode scalar)
            {
                throw new SettingsException($"config file {path}: line {line}: '{key}' must be a single value, not a list or mapping");
            }
            values[key] = scalar.Value ?? "";
        }
        return values;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
}

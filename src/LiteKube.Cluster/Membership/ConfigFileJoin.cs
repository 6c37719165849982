namespace LiteKube.Cluster.Membership;

/// <summary>
/// Puts a join into the server's YAML config file (install.sh's <c>/etc/litekube/config.yaml</c>)
/// for <c>litekube join</c> with an installed service: the <c>join:</c> line is replaced, or
/// added at the end; comments and every other line stay as the user wrote them.
/// </summary>
public static class ConfigFileJoin
{
    public const string Key = "join";

    public static string With(string text, JoinString join)
    {
        var line = $"{Key}: \"{join}\"";
        var lines = text.ReplaceLineEndings("\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        // Where the first join: line was (a repeated key is an error to the reader), else last.
        var existing = lines.FindIndex(IsJoinLine);
        lines.RemoveAll(IsJoinLine);
        lines.Insert(existing >= 0 ? existing : lines.Count, line);

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>A top-level <c>join:</c> key (not a comment, not indented).</summary>
    private static bool IsJoinLine(string line) =>
        line.StartsWith(Key, StringComparison.Ordinal) && line[Key.Length..].TrimStart(' ').StartsWith(':');
}

using System.Text;

namespace LiteKube.Datastore.Tests.Raft;

/// <summary>
/// A scenario file in the style of etcd-raft's datadriven tests: comment lines start with '#';
/// each command is one line, then a line "----", then its expected output up to a blank line.
/// </summary>
internal sealed class ScenarioScript
{
    public sealed record Step(int Line, string Command, string Expected, IReadOnlyList<string> LeadingComments);

    public required IReadOnlyList<Step> Steps { get; init; }

    public required IReadOnlyList<string> TrailingComments { get; init; }

    public static ScenarioScript Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var steps = new List<Step>();
        var comments = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#'))
            {
                comments.Add(line);
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var commandLine = i + 1;
            if (i + 1 >= lines.Length || lines[i + 1] != "----")
            {
                throw new FormatException($"line {commandLine}: command \"{line}\" is not followed by a \"----\" line");
            }
            var expected = new List<string>();
            for (i += 2; i < lines.Length && lines[i].Length > 0; i++)
            {
                expected.Add(lines[i]);
            }
            steps.Add(new Step(commandLine, line.Trim(), string.Join('\n', expected), comments.ToList()));
            comments.Clear();
        }
        return new ScenarioScript { Steps = steps, TrailingComments = comments };
    }

    /// <summary>The script with <paramref name="actual"/> outputs in place of the expected ones.</summary>
    public string Render(IReadOnlyList<string> actual)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < Steps.Count; i++)
        {
            foreach (var c in Steps[i].LeadingComments)
            {
                sb.Append(c).Append('\n');
            }
            sb.Append(Steps[i].Command).Append('\n').Append("----\n").Append(actual[i]).Append("\n\n");
        }
        foreach (var c in TrailingComments)
        {
            sb.Append(c).Append('\n');
        }
        return sb.ToString();
    }
}

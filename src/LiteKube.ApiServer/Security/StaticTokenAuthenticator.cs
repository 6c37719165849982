using System.Security.Cryptography;
using System.Text;

namespace LiteKube.ApiServer.Security;

/// <summary>
/// Bearer tokens from a static file (<c>--token-auth-file</c>), upstream's CSV format: one
/// credential per line, <c>token,user,uid,"group1,group2"</c>; the groups column is optional.
/// Blank lines and lines starting with '#' are skipped. Unlike upstream, which logs and skips
/// some bad lines, every bad line is an error that names it: a token file is security
/// configuration, and a half-read one should stop the server, not surprise its operator.
/// </summary>
public sealed class StaticTokenAuthenticator
{
    // Keyed by the token's hash, so a lookup compares no secret byte by byte.
    private readonly Dictionary<string, UserInfo> _users;

    private StaticTokenAuthenticator(Dictionary<string, UserInfo> users) => _users = users;

    public static readonly StaticTokenAuthenticator None = new([]);

    public int Count => _users.Count;

    public static StaticTokenAuthenticator Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenFileException($"token file {path}: cannot read it: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses the file's text; <paramref name="source"/> names it in errors.</summary>
    public static StaticTokenAuthenticator Parse(string text, string source)
    {
        var users = new Dictionary<string, UserInfo>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line == "" || line.StartsWith('#'))
            {
                continue;
            }

            var fields = SplitCsv(line) ?? throw Bad(source, number, "a quoted field is not closed");
            if (fields.Count < 3)
            {
                throw Bad(source, number, $"must have at least 3 columns (token, user name, user uid), found {fields.Count}");
            }

            var (token, name, uid) = (fields[0], fields[1].Trim(), fields[2].Trim());
            if (token == "")
            {
                throw Bad(source, number, "the token is empty");
            }

            if (name == "")
            {
                throw Bad(source, number, "the user name is empty");
            }

            var groups = fields.Count > 3
                ? fields[3].Split(',').Select(g => g.Trim()).Where(g => g != "").ToList()
                : [];
            groups.Add(SystemGroups.Authenticated);
            var key = Hash(token);
            if (lineOf.TryGetValue(key, out var first))
            {
                throw Bad(source, number, $"the token is already used on line {first}");
            }

            lineOf[key] = number;
            users[key] = new UserInfo(name, groups.Distinct().ToList()) { Uid = uid };
        }

        return new StaticTokenAuthenticator(users);
    }

    public UserInfo? Authenticate(string token) => _users.GetValueOrDefault(Hash(token));

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static TokenFileException Bad(string source, int line, string why) => new($"token file {source}, line {line}: {why}");

    /// <summary>RFC 4180 fields of one line (quotes group commas, "" is a quote); leading
    /// spaces of a field are dropped, as upstream's reader does. Null for an unclosed quote.</summary>
    private static List<string>? SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return null;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }
            }

            while (i < line.Length && line[i] != ',')
            {
                field.Append(line[i++]);
            }

            fields.Add(field.ToString());
            field.Clear();
            if (i >= line.Length)
            {
                return fields;
            }

            i++;
        }
    }
}

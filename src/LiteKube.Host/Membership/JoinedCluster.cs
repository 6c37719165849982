using System.Globalization;
using System.Text.Json;
using LiteKube.Cluster.Membership;
using LiteKube.Host.Tls;

namespace LiteKube.Host.Membership;

/// <summary>
/// <c>&lt;data-dir&gt;/joined.json</c>: the members a joined server could first reach, written
/// by a successful join. Until the leader's snapshot arrives the new member's log is empty and
/// knows no configuration; this is how it knows whom to answer (and, after a restart in that
/// window, whom to wait for instead of founding a cluster of its own).
/// </summary>
internal sealed record JoinedCluster(IReadOnlyList<MemberAddress> Members)
{
    public const string FileName = "joined.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static JoinedCluster? Load(string dataDirectory)
    {
        var text = TlsFiles.ReadIfExists(PathIn(dataDirectory));
        if (text is null)
        {
            return null;
        }

        try
        {
            var members = JsonSerializer.Deserialize(text, ClusterApiJson.Default.IReadOnlyListMemberAddress) ?? [];
            return new JoinedCluster(members);
        }
        catch (JsonException e)
        {
            throw new ServerStartupException($"reading {PathIn(dataDirectory)}: the file is damaged ({ServerHost.OneLine(e.Message)}); this node must join anew: empty its --data-dir and run the join again", e);
        }
    }

    public void Save(string dataDirectory) =>
        TlsFiles.Write(PathIn(dataDirectory), JsonSerializer.Serialize(Members, ClusterApiJson.Default.IReadOnlyListMemberAddress), secret: false);

    /// <summary>The members as the replicated store takes initial members.</summary>
    public IReadOnlyList<(ulong Id, string Name, string PeerAddress)> Founders() =>
        [.. Members.Select(m => (ulong.Parse(m.Id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), m.Name, m.PeerAddress))];
}

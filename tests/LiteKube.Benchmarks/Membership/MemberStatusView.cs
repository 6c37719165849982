using System.Text.Json;

namespace LiteKube.Benchmarks.Membership;

/// <summary>One datastore member as <c>litekube status --format json</c> lists it; the lag is
/// known only when the leader answered.</summary>
public sealed record MemberEntry(string Name, long? Lag, bool? Reachable);

/// <summary>
/// What <c>litekube status</c> reports about the datastore: the leader's name and the voters
/// and standbys. Parsed from the JSON of <c>GET /litekube/v1/status</c>, the document the
/// command prints with <c>--format json</c>.
/// </summary>
public sealed record MemberStatusView(string? Leader, IReadOnlyList<MemberEntry> Voters, IReadOnlyList<MemberEntry> Standbys)
{
    public static MemberStatusView Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var leader = root.TryGetProperty("leader", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        return new MemberStatusView(leader, Members(root, "voters"), Members(root, "standbys"));
    }

    public IEnumerable<MemberEntry> All => Voters.Concat(Standbys);

    public bool IsVoter(string name) => Voters.Any(v => v.Name == name);

    /// <summary>Listed as a member (voter or standby) with lag 0: it holds every entry the leader has.</summary>
    public bool IsCaughtUp(string name) => All.Any(m => m.Name == name && m.Lag == 0);

    /// <summary>Exactly these voters and standbys, every one reachable and caught up, and a leader.</summary>
    public bool IsSettled(IReadOnlyCollection<string> nodes, int voters) =>
        Leader is not null
        && Voters.Count == voters
        && Standbys.Count == nodes.Count - voters
        && All.Select(m => m.Name).Order(StringComparer.Ordinal).SequenceEqual(nodes.Order(StringComparer.Ordinal))
        && All.All(m => m.Lag == 0 && m.Reachable != false);

    public string Describe() =>
        $"leader {Leader ?? "none"}; voters {string.Join(", ", Voters.Select(Describe))}; standbys {(Standbys.Count == 0 ? "none" : string.Join(", ", Standbys.Select(Describe)))}";

    private static string Describe(MemberEntry m) => $"{m.Name} (lag {m.Lag?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}{(m.Reachable == false ? ", unreachable" : "")})";

    private static List<MemberEntry> Members(JsonElement root, string property) =>
        root.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(m => new MemberEntry(
                m.GetProperty("name").GetString() ?? "",
                m.TryGetProperty("lag", out var lag) && lag.ValueKind == JsonValueKind.Number ? lag.GetInt64() : null,
                m.TryGetProperty("reachable", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False ? r.GetBoolean() : null))]
            : [];
}

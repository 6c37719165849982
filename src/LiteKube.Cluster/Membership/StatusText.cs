using System.Globalization;
using System.Text;

namespace LiteKube.Cluster.Membership;

/// <summary>How <c>litekube status</c> shows a <see cref="ClusterStatus"/> to a person (text)
/// and as YAML. Pure; the JSON form is the record itself.</summary>
public static class StatusText
{
    public static string Render(ClusterStatus status)
    {
        var text = new StringBuilder();
        text.AppendLine("litekube is running");
        text.AppendLine(CultureInfo.InvariantCulture, $"high-availability: {(status.HighAvailability ? "yes" : "no")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  datastore: {status.Datastore}, tolerates {status.FailureTolerance} voter failure{(status.FailureTolerance == 1 ? "" : "s")}");
        if (status.Voters.Count > 0)
        {
            text.AppendLine("  datastore voters:");
            foreach (var voter in status.Voters)
            {
                text.AppendLine(Member(voter));
            }
        }

        text.AppendLine(status.Standbys.Count > 0 ? "  datastore standbys:" : "  datastore standbys: none");
        foreach (var standby in status.Standbys)
        {
            text.AppendLine(Member(standby));
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"nodes: {status.Nodes.Count(n => n.Ready)} of {status.Nodes.Count} Ready");
        foreach (var node in status.Nodes)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {node.Name,-24} {(node.Ready ? "Ready" : "NotReady")}{(node.Reason is null || node.Ready ? "" : $" ({node.Reason})")}").TrimEnd());
        }

        return text.ToString();
    }

    private static string Member(MemberStatus member)
    {
        var notes = new List<string>();
        if (member.Leader)
        {
            notes.Add("leader");
        }

        if (member.Reachable == false)
        {
            notes.Add("unreachable");
        }

        if (member.Lag is > 0 and var lag)
        {
            notes.Add($"{lag} entries behind");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"    {member.Name,-22} {member.PeerAddress,-22}{(notes.Count > 0 ? " " + string.Join(", ", notes) : "")}").TrimEnd();
    }

    public static string Yaml(ClusterStatus status)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"datastore: {Quote(status.Datastore)}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"highAvailability: {Bool(status.HighAvailability)}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"failureTolerance: {status.FailureTolerance}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"leader: {(status.Leader is null ? "null" : Quote(status.Leader))}");
        Members(yaml, "voters", status.Voters);
        Members(yaml, "standbys", status.Standbys);
        yaml.AppendLine(status.Nodes.Count == 0 ? "nodes: []" : "nodes:");
        foreach (var node in status.Nodes)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(node.Name)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  ready: {Bool(node.Ready)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  reason: {(node.Reason is null ? "null" : Quote(node.Reason))}");
        }

        return yaml.ToString();
    }

    private static void Members(StringBuilder yaml, string key, IReadOnlyList<MemberStatus> members)
    {
        yaml.AppendLine(members.Count == 0 ? $"{key}: []" : $"{key}:");
        foreach (var member in members)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"- id: {Quote(member.Id)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  name: {Quote(member.Name)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  peerAddress: {Quote(member.PeerAddress)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  leader: {Bool(member.Leader)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  lag: {(member.Lag is { } lag ? lag.ToString(CultureInfo.InvariantCulture) : "null")}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  reachable: {(member.Reachable is { } r ? Bool(r) : "null")}");
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    // Double-quoted YAML scalars escape like JSON strings.
    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value, ClusterApiJson.Default.String);
}

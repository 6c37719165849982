using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tables.Printers;

/// <summary>The shared columns of RoleBinding and ClusterRoleBinding: ROLE as "Kind/name", and
/// wide USERS, GROUPS, SERVICEACCOUNTS ("namespace/name") joined by ", ".</summary>
internal static class RoleBindingSubjects
{
    public static IReadOnlyList<TableColumn> Columns(string kind) =>
    [
        Common.Name,
        new("Role", "string", "RoleRef can only reference the current namespace or a ClusterRole."),
        Common.Age,
        new("Users", "string", $"Users in the {kind}", 1),
        new("Groups", "string", $"Groups in the {kind}", 1),
        new("ServiceAccounts", "string", $"ServiceAccounts in the {kind}", 1),
    ];

    public static IReadOnlyList<JsonNode?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var b = new JsonObjectReader(obj);
        var users = new List<string>();
        var groups = new List<string>();
        var serviceAccounts = new List<string>();
        foreach (var subject in b.Array("subjects").OfType<JsonObject>())
        {
            var s = new JsonObjectReader(subject);
            switch (s.String("kind"))
            {
                case "ServiceAccount":
                    serviceAccounts.Add($"{s.String("namespace")}/{s.String("name")}");
                    break;
                case "User":
                    users.Add(s.String("name"));
                    break;
                case "Group":
                    groups.Add(s.String("name"));
                    break;
            }
        }

        return
        [
            b.String("metadata.name"),
            $"{b.String("roleRef.kind")}/{b.String("roleRef.name")}",
            HumanDuration.Age(b, now),
            string.Join(", ", users),
            string.Join(", ", groups),
            string.Join(", ", serviceAccounts),
        ];
    }
}

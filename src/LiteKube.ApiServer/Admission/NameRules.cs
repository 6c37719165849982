using System.Text.RegularExpressions;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Admission;

/// <summary>Upstream's name validations (apimachinery validation.IsDNS1123Label / Subdomain).</summary>
public static partial class NameRules
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    // Kinds whose names must be DNS labels; RBAC kinds only need to be path segments.
    private static readonly HashSet<string> LabelNamed = ["Namespace", "Service"];
    private static readonly HashSet<string> PathSegmentNamed = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

    public static void CheckName(string kind, string field, string name, List<FieldError> errors)
    {
        if (PathSegmentNamed.Contains(kind))
        {
            if (name is "." or ".." || name.Contains('/') || name.Contains('%'))
            {
                errors.Add(new FieldError(field, "Invalid value", $"\"{name}\": may not be '.' or '..' and may not contain '/' or '%'"));
            }

            return;
        }

        if (LabelNamed.Contains(kind))
        {
            CheckLabel(field, name, errors);
        }
        else if (name.Length > 253 || !Dns1123Subdomain().IsMatch(name))
        {
            errors.Add(new FieldError(field, "Invalid value", $"\"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
    }

    public static void CheckLabel(string field, string name, List<FieldError> errors)
    {
        if (name.Length > 63 || !Dns1123Label().IsMatch(name))
        {
            errors.Add(new FieldError(field, "Invalid value", $"\"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
        }
    }
}

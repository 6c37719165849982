using System.Text.RegularExpressions;

namespace LiteKube.ApiServer.Selectors;

/// <summary>Upstream's label key and value syntax (validation.IsQualifiedName, IsValidLabelValue).</summary>
public static partial class LabelSyntax
{
    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex NamePart();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    public static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !Dns1123Subdomain().IsMatch(prefix))
            {
                return false;
            }
        }

        return name.Length is > 0 and <= 63 && NamePart().IsMatch(name);
    }

    public static bool IsLabelValue(string value) =>
        value.Length == 0 || (value.Length <= 63 && NamePart().IsMatch(value));
}

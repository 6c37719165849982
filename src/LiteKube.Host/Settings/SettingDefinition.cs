namespace LiteKube.Host.Settings;

/// <summary>One setting of a verb. The same name is the flag (<c>--data-dir</c>), the
/// environment variable (<c>LITEKUBE_DATA_DIR</c>) and the config-file key (<c>data-dir:</c>),
/// so a person who knows one spelling knows all three.</summary>
public sealed record SettingDefinition(string Name, string ValueName, string Description)
{
    public string Flag => "--" + Name;

    public string EnvironmentVariable => "LITEKUBE_" + Name.ToUpperInvariant().Replace('-', '_');
}

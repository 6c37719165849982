namespace LiteKube.Host.Settings;

/// <summary>A setting is missing, unknown or has a bad value. The message is one line that names
/// where the value came from (flag, environment variable or file) and what is expected.</summary>
public sealed class SettingsException(string message, Exception? inner = null) : Exception(message, inner);

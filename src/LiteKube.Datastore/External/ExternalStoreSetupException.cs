namespace LiteKube.Datastore.External;

/// <summary>The external datastore settings are unusable (a bad URL, a missing or unreadable
/// certificate file). The message is one line that names the setting and what to fix.</summary>
public sealed class ExternalStoreSetupException(string message, Exception? inner = null) : Exception(message, inner);

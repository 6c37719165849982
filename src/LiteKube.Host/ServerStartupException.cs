namespace LiteKube.Host;

/// <summary>A startup step failed. The message is one line: what the server was doing, why it
/// failed and, where there is one, what to do about it.</summary>
public sealed class ServerStartupException(string message, Exception? inner = null) : Exception(message, inner);

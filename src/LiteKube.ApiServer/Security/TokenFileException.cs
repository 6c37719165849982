namespace LiteKube.ApiServer.Security;

/// <summary>The static token file cannot be used; the message names the file and line.</summary>
public sealed class TokenFileException(string message, Exception? inner = null) : Exception(message, inner);

namespace LiteKube.ApiServer.Serialization;

/// <summary>A YAML body cannot become JSON: a syntax error, more than one document, a key that
/// is not a scalar, a value JSON cannot hold, or aliases that expand too far.</summary>
public sealed class YamlJsonException(string message) : Exception(message);

namespace LiteKube.ApiServer.Serialization.Protobuf;

/// <summary>A protobuf body is malformed (truncated, bad varint, wrong wire type).</summary>
public sealed class ProtobufFormatException(string message) : Exception(message);

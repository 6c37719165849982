using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;

namespace LiteKube.ApiServer.Admission;

/// <summary>What one kind adds to the generic pipeline: upstream's defaults, and validation that
/// reports every bad field at once (a 422 Invalid lists them all).</summary>
public interface IResourceStrategy
{
    string Kind { get; }

    void Default(JsonObject obj);

    void Validate(JsonObject obj, List<FieldError> errors);
}

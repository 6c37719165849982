namespace LiteKube.ApiServer.Patching;

/// <summary>A patch that cannot be applied to the object: 422 Invalid, or with
/// <see cref="IsMalformed"/> 400 BadRequest for a patch whose directives are not well formed
/// (upstream's ErrBadPatchFormatFor* errors).</summary>
public sealed class PatchException(string message, bool malformed = false) : Exception(message)
{
    public bool IsMalformed { get; } = malformed;

    public static PatchException Malformed(string message) => new(message, malformed: true);
}

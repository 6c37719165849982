using System.Net;

namespace LiteKube.ApiServer.Http;

/// <summary>A request failed; becomes a Kubernetes <c>Status</c> with this code and reason.</summary>
public sealed class ApiException(HttpStatusCode code, string reason, string message) : Exception(message)
{
    public HttpStatusCode Code { get; } = code;

    /// <summary>Upstream's StatusReason: NotFound, AlreadyExists, Conflict, Invalid, BadRequest, ...</summary>
    public string Reason { get; } = reason;

    public StatusDetails? Details { get; init; }

    public static ApiException NotFound(string resource, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{resource} \"{name}\" not found") { Details = new StatusDetails(name, resource) };

    public static ApiException AlreadyExists(string resource, string name) =>
        new(HttpStatusCode.Conflict, "AlreadyExists", $"{resource} \"{name}\" already exists") { Details = new StatusDetails(name, resource) };

    public static ApiException Conflict(string resource, string name, string why) =>
        new(HttpStatusCode.Conflict, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": {why}") { Details = new StatusDetails(name, resource) };

    public static ApiException BadRequest(string message) => new(HttpStatusCode.BadRequest, "BadRequest", message);

    public static ApiException Gone(string message) => new(HttpStatusCode.Gone, "Expired", message);

    public static ApiException Invalid(Resources.ResourceDefinition resource, string name, IReadOnlyList<FieldError> errors) =>
        new((HttpStatusCode)422, "Invalid",
            $"{resource.Kind} \"{name}\" is invalid: " + string.Join(", ", errors.Select(e => $"{e.Field}: {e.Type}: {e.Detail}")))
        {
            Details = new StatusDetails(name, resource.Kind, resource.Group) { Causes = errors },
        };

    public static ApiException MethodNotAllowed(string message) => new(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", message);
}

/// <summary>Status.details: which object the error is about.</summary>
public sealed record StatusDetails(string Name, string Kind, string Group = "")
{
    public IReadOnlyList<FieldError> Causes { get; init; } = [];
}

/// <summary>One invalid field: Status.details.causes[] (field, reason = Type, message = Detail).</summary>
public sealed record FieldError(string Field, string Type, string Detail);

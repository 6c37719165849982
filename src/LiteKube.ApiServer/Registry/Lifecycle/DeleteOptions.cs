using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using Microsoft.AspNetCore.Http;

namespace LiteKube.ApiServer.Registry.Lifecycle;

/// <summary>How deletion dependents are treated (upstream's DeletionPropagation).</summary>
public enum Propagation { Orphan, Background, Foreground }

/// <summary>
/// meta/v1 DeleteOptions, from a request body or, without one, from the query string, as
/// upstream's delete handlers read them. Parsing errors are 400 BadRequest; values that parse
/// but are not allowed are 422 Invalid (kind DeleteOptions), as upstream's ValidateDeleteOptions.
/// </summary>
public sealed record DeleteOptions
{
    public static readonly DeleteOptions Default = new();

    public long? GracePeriodSeconds { get; init; }
    public string? PreconditionUid { get; init; }
    public string? PreconditionResourceVersion { get; init; }
    /// <summary>The deprecated boolean form of the propagation policy.</summary>
    public bool? OrphanDependents { get; init; }
    public string? PropagationPolicy { get; init; }
    public bool DryRun { get; init; }

    /// <summary>The policy the request names, or null when it names none (the kind's default applies).</summary>
    public Propagation? Policy => OrphanDependents switch
    {
        true => Propagation.Orphan,
        false => Propagation.Background,
        null => PropagationPolicy switch
        {
            "Orphan" => Propagation.Orphan,
            "Background" => Propagation.Background,
            "Foreground" => Propagation.Foreground,
            _ => null,
        },
    };

    /// <summary>Upstream answers 202 Accepted only when the object stays and the client asked,
    /// with the deprecated field, not to orphan.</summary>
    public bool AcceptedWhenPending => OrphanDependents == false;

    public static DeleteOptions FromBody(JsonNode? body)
    {
        if (body is not JsonObject obj)
        {
            throw ApiException.BadRequest("the body of a delete request must be a DeleteOptions object");
        }

        if (Text(obj, "kind") is { } kind && kind != "DeleteOptions")
        {
            throw ApiException.BadRequest($"decoded object cannot be converted to DeleteOptions (kind \"{kind}\")");
        }

        var preconditions = obj["preconditions"];
        if (preconditions is not null and not JsonObject)
        {
            throw ApiException.BadRequest("preconditions: expected an object");
        }

        var options = new DeleteOptions
        {
            GracePeriodSeconds = Integer(obj["gracePeriodSeconds"], "gracePeriodSeconds"),
            PreconditionUid = Text(preconditions as JsonObject, "uid"),
            PreconditionResourceVersion = Text(preconditions as JsonObject, "resourceVersion"),
            OrphanDependents = Boolean(obj["orphanDependents"], "orphanDependents"),
            PropagationPolicy = Text(obj, "propagationPolicy"),
            DryRun = DryRunValues(obj["dryRun"] switch
            {
                null => [],
                JsonArray values => values.Select(v => v is JsonValue s && s.TryGetValue<string>(out var t) ? t : throw ApiException.BadRequest("dryRun: expected a list of strings")).ToList(),
                _ => throw ApiException.BadRequest("dryRun: expected a list of strings"),
            }),
        };
        return options.Validated();
    }

    public static DeleteOptions FromQuery(IQueryCollection query)
    {
        var options = new DeleteOptions
        {
            GracePeriodSeconds = query.TryGetValue("gracePeriodSeconds", out var grace) ? ParseLong(grace.ToString(), "gracePeriodSeconds") : null,
            OrphanDependents = query.TryGetValue("orphanDependents", out var orphan) ? ParseBool(orphan.ToString(), "orphanDependents") : null,
            PropagationPolicy = query.TryGetValue("propagationPolicy", out var policy) ? policy.ToString() : null,
            DryRun = DryRunValues([.. query["dryRun"].Where(v => v is not null).Select(v => v!)]),
        };
        return options.Validated();
    }

    private DeleteOptions Validated()
    {
        var errors = new List<FieldError>();
        if (OrphanDependents is not null && PropagationPolicy is not null)
        {
            errors.Add(new FieldError("propagationPolicy", "Invalid value", $"\"{PropagationPolicy}\": orphanDependents and deletionPropagation cannot be both set"));
        }

        if (PropagationPolicy is not null and not ("Foreground" or "Background" or "Orphan"))
        {
            errors.Add(new FieldError("propagationPolicy", "Unsupported value", $"\"{PropagationPolicy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""));
        }

        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        return this;
    }

    private static bool DryRunValues(IReadOnlyList<string> values)
    {
        foreach (var value in values)
        {
            if (value != "All")
            {
                throw Invalid([new FieldError("dryRun", "Unsupported value", $"\"{value}\": supported values: \"All\"")]);
            }
        }

        return values.Count > 0;
    }

    private static ApiException Invalid(IReadOnlyList<FieldError> errors) =>
        new((HttpStatusCode)422, "Invalid", "DeleteOptions.meta.k8s.io \"\" is invalid: " + string.Join(", ", errors.Select(e => $"{e.Field}: {e.Type}: {e.Detail}")))
        {
            Details = new StatusDetails("", "DeleteOptions", "meta.k8s.io") { Causes = errors },
        };

    private static string? Text(JsonObject? obj, string field) => obj?[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw ApiException.BadRequest($"{field}: expected a string"),
    };

    private static long? Integer(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue => (long)d,
        _ => throw ApiException.BadRequest($"{field}: expected an integer"),
    };

    private static bool? Boolean(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw ApiException.BadRequest($"{field}: expected a boolean"),
    };

    private static long ParseLong(string value, string field) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw ApiException.BadRequest($"{field}: invalid value \"{value}\": must be an integer");

    private static bool ParseBool(string value, string field) => value switch
    {
        "true" or "1" or "True" or "TRUE" or "t" or "T" => true,
        "false" or "0" or "False" or "FALSE" or "f" or "F" => false,
        _ => throw ApiException.BadRequest($"{field}: invalid value \"{value}\": must be a boolean"),
    };
}

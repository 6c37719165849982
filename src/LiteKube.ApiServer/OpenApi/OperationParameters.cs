namespace LiteKube.ApiServer.OpenApi;

/// <summary>The parameters of the API's operations, as the API server honours them. kubectl's
/// client-side validation only sends <c>fieldValidation</c> when the PATCH operation of a kind
/// lists it, so every write operation lists it.</summary>
internal static class OperationParameters
{
    public static ApiParameter Name { get; } = new("name", "path", "string", "name of the object", Required: true);

    public static ApiParameter Namespace { get; } = new("namespace", "path", "string", "object name and auth scope, such as for teams and projects", Required: true);

    public static ApiParameter Pretty { get; } = Query("pretty", "string", "If 'true', then the output is pretty printed.");

    public static IReadOnlyList<ApiParameter> List { get; } =
    [
        Query("allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\"; ignored unless watching."),
        Query("continue", "string", "The continue token of a previous paginated list result, to fetch the next page."),
        Query("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields. Defaults to everything."),
        Query("labelSelector", "string", "A selector to restrict the list of returned objects by their labels. Defaults to everything."),
        Query("limit", "integer", "The maximum number of objects to return; the list metadata then carries a continue token if more exist."),
        Query("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a request may be served from."),
        Query("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is applied to list calls: Exact or NotOlderThan."),
        Query("sendInitialEvents", "boolean", "With watch=true, starts the watch stream with synthetic ADDED events for the current state."),
        Query("timeoutSeconds", "integer", "Timeout for the list/watch call, regardless of any activity or inactivity."),
        Query("watch", "boolean", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."),
    ];

    public static ApiParameter DryRun { get; } = Query("dryRun", "string", "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed");

    public static ApiParameter FieldManager { get; } = Query("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is making these changes.");

    public static ApiParameter FieldValidation { get; } = Query("fieldValidation", "string",
        "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: - Ignore: drops them silently. - Warn: drops them and returns a warning per field. - Strict: fails the request with BadRequest naming every unknown and duplicate field.");

    public static ApiParameter Force { get; } = Query("force", "boolean", "Force is going to \"force\" Apply requests: it takes over fields owned by other managers. Must be unset for non-apply patch requests.");

    public static IReadOnlyList<ApiParameter> Write { get; } = [DryRun, FieldManager, FieldValidation];

    public static IReadOnlyList<ApiParameter> Patch { get; } = [DryRun, FieldManager, FieldValidation, Force];

    public static IReadOnlyList<ApiParameter> Delete { get; } =
    [
        DryRun,
        Query("gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted; zero means delete immediately."),
        Query("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean", "If set, deletes an object that cannot be read from storage (corrupt); use with care."),
        Query("orphanDependents", "boolean", "Deprecated: use propagationPolicy. Whether dependents are orphaned."),
        Query("propagationPolicy", "string", "Whether and how garbage collection is performed: Orphan, Background or Foreground."),
    ];

    public static IReadOnlyList<ApiParameter> DeleteCollection { get; } =
        [.. Delete, .. List.Where(p => p.Name is not ("watch" or "allowWatchBookmarks"))];

    public static IReadOnlyList<ApiParameter> Log { get; } =
    [
        Query("container", "string", "The container for which to stream logs. Defaults to only container if there is one container in the pod."),
        Query("follow", "boolean", "Follow the log stream of the pod."),
        Query("insecureSkipTLSVerifyBackend", "boolean", "Do not verify the serving certificate of the backend that serves the logs."),
        Query("limitBytes", "integer", "The number of bytes to read from the server before terminating the log output."),
        Query("previous", "boolean", "Return previous terminated container logs."),
        Query("sinceSeconds", "integer", "A relative time in seconds before the current time from which to show logs."),
        Query("stream", "string", "The log stream to return: All, Stdout or Stderr."),
        Query("tailLines", "integer", "The number of lines from the end of the logs to show."),
        Query("timestamps", "boolean", "Prefix every line of log output with an RFC3339 timestamp."),
    ];

    public static IReadOnlyList<ApiParameter> Exec { get; } =
    [
        Query("command", "string", "Command is the remote command to execute; argv array, one parameter per argument."),
        Query("container", "string", "Container in which to execute the command. Defaults to only container if there is only one container in the pod."),
        Query("stderr", "boolean", "Redirect the standard error stream of the pod for this call."),
        Query("stdin", "boolean", "Redirect the standard input stream of the pod for this call."),
        Query("stdout", "boolean", "Redirect the standard output stream of the pod for this call."),
        Query("tty", "boolean", "TTY if true indicates that a tty will be allocated for the exec call."),
    ];

    private static ApiParameter Query(string name, string type, string description) => new(name, "query", type, description);
}

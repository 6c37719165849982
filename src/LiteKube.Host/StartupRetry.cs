using LiteKube.Datastore;
using Microsoft.Extensions.Logging;

namespace LiteKube.Host;

/// <summary>
/// Retries an idempotent start-up step while the datastore answers Unavailable: a replicated
/// datastore that is electing a leader, or a loaded machine where one request timed out, must
/// not end a start that a second try would finish. Past <see cref="Patience"/> the last error
/// stands.
/// </summary>
internal static partial class StartupRetry
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(string step, Func<CancellationToken, Task> action, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Patience;
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                await action(cancellationToken);
                return;
            }
            catch (DatastoreException e) when (e.Error == DatastoreError.Unavailable && time.GetUtcNow() + delay < deadline)
            {
                LogRetrying(logger, step, ServerHost.OneLine(e.Message), delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "{Step}: {Reason}; trying again in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string step, string reason, double delayMs);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.ApiServer.Registry.Services.Repair;

/// <summary>
/// Runs the allocation repair when the server starts and every <see cref="Interval"/> after
/// (upstream: 3 minutes), so that a datastore restored from a backup, edited by hand or
/// damaged by a bug gets back to "a key exists exactly while a Service holds its value".
/// <para>
/// Every API server runs it; that is safe because each step is a conditional write and leak
/// counts are per server (a key is released only when this server saw it leaked for
/// <see cref="AllocationRepair.LeakPasses"/> passes at one revision). It does not guarantee
/// when a leaked value comes back, only that a held one is never released.
/// </para>
/// </summary>
public sealed partial class AllocationRepairController(
    AllocationRepairExecutor executor, ServiceNetworkOptions network, TimeProvider time, ILogger<AllocationRepairController> logger)
    : IHostedService, IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(3);

    private readonly SemaphoreSlim _pass = new(1, 1);
    private IReadOnlyDictionary<(Pool, string), LeakRecord> _leaks = new Dictionary<(Pool, string), LeakRecord>();
    private ITimer? _timer;

    /// <summary>One pass: read, decide, act. Returns the plan it carried out.</summary>
    public async Task<RepairPlan> RepairAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = await executor.ReadAsync(cancellationToken).ConfigureAwait(false);
            var plan = AllocationRepair.Decide(snapshot, network, _leaks);
            await executor.ExecuteAsync(plan.Actions, cancellationToken).ConfigureAwait(false);
            _leaks = plan.Leaks;
            if (plan.Actions.Count > 0)
            {
                LogRepaired(logger, plan.Actions.Count, plan.Leaks.Count);
            }

            return plan;
        }
        finally
        {
            _pass.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RepairAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Serving matters more than repairing now: the next pass tries again.
            LogPassFailed(logger, e);
        }

        _timer = time.CreateTimer(_ => _ = TickAsync(), null, Interval, Interval);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task TickAsync()
    {
        try
        {
            await RepairAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogPassFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "service allocation repair: {Steps} steps taken; {Leaks} keys without a Service are in their grace period")]
    private static partial void LogRepaired(ILogger logger, int steps, int leaks);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "service allocation repair: the pass failed; retried in 3 minutes")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

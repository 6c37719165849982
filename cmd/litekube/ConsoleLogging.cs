using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LiteKube.Cli;

/// <summary>Logs go to stdout, one line per event with a UTC timestamp; errors that end the
/// process go to stderr as one line (see <see cref="LiteKubeCommandLine"/>), so a script can
/// tell them apart and a service manager's log keeps both.</summary>
public static class ConsoleLogging
{
    public static ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        // ASP.NET Core's own startup chatter (listening on, content root, ...) repeats what the
        // ready line says; its warnings and errors still show.
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Grpc", LogLevel.Warning)
        // The generic host logs a failed start with a stack trace; ServerHost turns the same
        // failure into the one-line error the CLI prints, so that log entry is only noise.
        .AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        }));
}

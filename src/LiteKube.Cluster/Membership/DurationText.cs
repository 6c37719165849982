using System.Globalization;

namespace LiteKube.Cluster.Membership;

/// <summary>Durations as people type them on the command line: 90s, 30m, 2h, 7d, or combined
/// like 1h30m (the units Go's time.ParseDuration and kubectl use, plus days).</summary>
public static class DurationText
{
    /// <summary>Parses <paramref name="text"/>; a <see cref="FormatException"/> names <paramref name="option"/>.</summary>
    public static TimeSpan Parse(string text, string option)
    {
        var total = TimeSpan.Zero;
        var rest = text.Trim();
        if (rest.Length == 0)
        {
            throw Invalid(text, option);
        }

        while (rest.Length > 0)
        {
            var digits = rest.TakeWhile(char.IsAsciiDigit).Count();
            if (digits == 0 || digits == rest.Length || !long.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                throw Invalid(text, option);
            }

            var unit = rest[digits];
            total += unit switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => throw Invalid(text, option),
            };
            rest = rest[(digits + 1)..];
        }

        return total > TimeSpan.Zero ? total : throw Invalid(text, option);
    }

    private static FormatException Invalid(string text, string option) =>
        new($"{option}: '{text}' is not a duration; write e.g. 90s, 30m, 2h, 1d or 1h30m");
}

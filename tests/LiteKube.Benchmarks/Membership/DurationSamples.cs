using System.Globalization;

namespace LiteKube.Benchmarks.Membership;

/// <summary>The durations of one figure over the runs of a scenario, in run order.</summary>
public sealed class DurationSamples(string name)
{
    private readonly List<TimeSpan> samples = [];

    public string Name => name;

    public int Count => samples.Count;

    /// <summary>The middle sample, or the mean of the two middle ones for an even count.</summary>
    public TimeSpan Median
    {
        get
        {
            if (samples.Count == 0)
            {
                return TimeSpan.Zero;
            }

            var sorted = samples.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public TimeSpan Max => samples.Count == 0 ? TimeSpan.Zero : samples.Max();

    public void Add(TimeSpan sample) => samples.Add(sample);

    /// <summary>Every sample, in seconds, as recorded: the table shows median and max, this line the spread.</summary>
    public string Describe() =>
        string.Join(", ", samples.Select(s => s.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)));
}

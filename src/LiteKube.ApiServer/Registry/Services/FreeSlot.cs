namespace LiteKube.ApiServer.Registry.Services;

/// <summary>Picks a free number in [lo, hi] as upstream's allocators do: at random in the upper
/// part first, the low static band (kept for requested values) only when the upper part is
/// full. Pure given the random source.</summary>
public static class FreeSlot
{
    /// <summary>Null when every number in the range is taken.</summary>
    public static int? Pick(int lo, int hi, int staticBand, Func<int, bool> taken, Random random)
    {
        var bandEnd = Math.Min(hi, lo + staticBand - 1);
        return Probe(bandEnd + 1, hi, taken, random) ?? Probe(lo, bandEnd, taken, random);
    }

    // A random start, then every number once, wrapping around.
    private static int? Probe(int lo, int hi, Func<int, bool> taken, Random random)
    {
        if (lo > hi)
        {
            return null;
        }

        var count = hi - lo + 1;
        var start = random.Next(count);
        for (var i = 0; i < count; i++)
        {
            var candidate = lo + (start + i) % count;
            if (!taken(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

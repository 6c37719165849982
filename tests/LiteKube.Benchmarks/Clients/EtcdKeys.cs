using Google.Protobuf;

namespace LiteKube.Benchmarks.Clients;

/// <summary>Key helpers shared by workloads.</summary>
public static class EtcdKeys
{
    /// <summary>
    /// The range_end that makes [prefix, end) cover every key starting with the prefix: the prefix
    /// with its last byte below 0xff incremented and the rest dropped (etcd's clientv3.GetPrefixRangeEnd).
    /// </summary>
    public static ByteString PrefixEnd(ByteString prefix)
    {
        var end = prefix.ToByteArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0); // every key
    }

    /// <summary><paramref name="count"/> keys "PREFIX000000"…, built once so the hot loop allocates none.</summary>
    public static ByteString[] Numbered(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => ByteString.CopyFromUtf8($"{prefix}{i:D6}")).ToArray();

    /// <summary>Random, hence incompressible, values: storage that compresses must not look better than it is.</summary>
    public static ByteString[] RandomValues(int count, int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            return ByteString.CopyFrom(bytes);
        }).ToArray();
    }
}

namespace LiteKube.Benchmarks.Api;

/// <summary>The pods that exist, per namespace, so churn updates and deletes only live pods and
/// creates never reuse a name. Thread-safe; picks are random with a seeded generator.</summary>
public sealed class PodSet(int namespaces, int seed)
{
    private readonly List<string>[] _alive = Enumerable.Range(0, namespaces).Select(_ => new List<string>()).ToArray();
    private readonly Random _random = new(seed);
    private readonly HashSet<(int, string)> _removed = [];
    private int _nextName;

    public int Namespaces => namespaces;

    public void Add(int ns, string name)
    {
        lock (_alive)
        {
            _alive[ns].Add(name);
        }
    }

    /// <summary>A name never used before in this run.</summary>
    public string NewName() => PodManifest.Name(Interlocked.Increment(ref _nextName) + 50_000);

    /// <summary>Whether churn has taken this pod out to delete it.</summary>
    public bool Removed(int ns, string name)
    {
        lock (_alive)
        {
            return _removed.Contains((ns, name));
        }
    }

    public int RandomNamespace()
    {
        lock (_alive)
        {
            return _random.Next(namespaces);
        }
    }

    /// <summary>A random live pod, or null when the namespace has none.</summary>
    public string? Pick(int ns, bool remove)
    {
        lock (_alive)
        {
            var pods = _alive[ns];
            if (pods.Count == 0)
            {
                return null;
            }

            var i = _random.Next(pods.Count);
            var name = pods[i];
            if (remove)
            {
                _removed.Add((ns, name));
                pods[i] = pods[^1];
                pods.RemoveAt(pods.Count - 1);
            }

            return name;
        }
    }
}

using System.Collections.Immutable;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>The keys as one request (or txn) changes them: reads see earlier writes of the same
/// request, and <see cref="Changed"/> says whether the request wrote anything.</summary>
internal sealed class WriteSet(ImmutableSortedDictionary<string, KeyState> start)
{
    private readonly ImmutableSortedDictionary<string, KeyState>.Builder _keys = start.ToBuilder();

    public bool Changed { get; private set; }

    public IReadOnlyDictionary<string, KeyState> Current => _keys;

    public KeyState? Get(string key) => _keys.TryGetValue(key, out var state) ? state : null;

    public void Set(string key, KeyState state)
    {
        _keys[key] = state;
        Changed = true;
    }

    public void Remove(string key) => Changed |= _keys.Remove(key);

    public ImmutableSortedDictionary<string, KeyState> Build() => _keys.ToImmutable();
}

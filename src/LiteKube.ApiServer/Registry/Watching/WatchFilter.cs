using LiteKube.ApiServer.Selectors;

namespace LiteKube.ApiServer.Registry.Watching;

/// <summary>Which objects a watch (or list) wants: a namespace ("" = all) and selectors.</summary>
public sealed record WatchFilter(string Namespace, LabelSelector Labels, FieldSelector Fields)
{
    public bool Matches(ObjectFacts facts) =>
        (Namespace == "" || facts.Namespace == Namespace)
        && Labels.Matches(facts.Labels)
        && Fields.Matches(f => facts.Fields.GetValueOrDefault(f, ""));

    /// <summary>The event as this watcher must see it, or null when it does not concern it.</summary>
    public (WatchEventKind Kind, CachedEvent Event)? Translate(CachedEvent e)
    {
        var now = Matches(e.Facts);
        var before = e.Previous is not null && Matches(e.Previous);
        return (e.Kind, now, before) switch
        {
            (WatchEventKind.Deleted, true, _) => (WatchEventKind.Deleted, e),
            (WatchEventKind.Deleted, false, _) => null,
            (_, true, true) => (WatchEventKind.Modified, e),
            (_, true, false) => (WatchEventKind.Added, e),
            (WatchEventKind.Modified, false, true) => (WatchEventKind.Deleted, e),
            _ => null,
        };
    }
}

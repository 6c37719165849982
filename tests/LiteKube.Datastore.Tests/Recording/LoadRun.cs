using LiteKube.Datastore.Tests.Linearizability;
using LiteKube.Datastore.Tests.WatchValidation;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>A finished run: the state the keys started from, every recorded call, every watcher's
/// stream, the revision of the final read that every watcher had to reach, and (with
/// <see cref="LoadOptions.OtherWriters"/>) the revisions other writers took meanwhile.</summary>
public sealed record LoadRun(
    string Prefix,
    int Seed,
    KvState Initial,
    IReadOnlyList<HistoryEntry<KvOperation>> History,
    IReadOnlyList<WatchRecord> Watches,
    long FinalRevision,
    IReadOnlySet<long>? ForeignRevisions = null);

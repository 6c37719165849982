namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>The model with other writers' revisions (outside the history's keys) known: exact
/// revisions still, with the foreign ones skipped. Each history runs one call after another:
/// <c>put KEY=VALUE REV</c>, <c>get KEY REV [VALUE CREATE MOD VERSION]</c>, <c>unknown KEY=VALUE</c>
/// (a put whose outcome is unknown).</summary>
public sealed class ForeignRevisionsTests
{
    [Theory]
    [InlineData("a write after foreign revisions takes the next free one", "3 4", true, "put k=a 2", "put k=b 5", "get k 5 b 2 5 2")]
    [InlineData("a read answers before or after the foreign revisions that follow", "3 4", true, "put k=a 2", "get k 2 a 2 2 1", "get k 3 a 2 2 1", "get k 4 a 2 2 1")]
    [InlineData("an unknown write that took effect gets the next free revision", "3", true, "put k=a 2", "unknown k=u", "get k 4 u 2 4 2")]
    [InlineData("a write at a revision a foreign writer took", "3", false, "put k=a 2", "put k=b 3")]
    [InlineData("a revision skipped without a foreign write", "3", false, "put k=a 2", "put k=b 5")]
    [InlineData("a stale read among foreign writes", "3 5", false, "put k=a 2", "put k=b 4", "get k 5 a 2 2 1")]
    public void The_model_places_foreign_revisions_exactly(string what, string foreign, bool linearizable, params string[] calls)
    {
        var history = new HistoryBuilder();
        for (var i = 0; i < calls.Length; i++)
        {
            var f = calls[i].Split(' ', '=');
            _ = f[0] switch
            {
                "put" => history.Put(i, 2 * i, 2 * i + 1, f[1], f[2], long.Parse(f[3])),
                "get" => history.Get(i, 2 * i, 2 * i + 1, f[1], long.Parse(f[2]), f.Length > 3 ? (f[3], long.Parse(f[4]), long.Parse(f[5]), long.Parse(f[6])) : null),
                "unknown" => history.UnknownPut(i, 2 * i, f[1], f[2]),
                _ => throw new ArgumentException($"unknown call {calls[i]}"),
            };
        }

        var result = history.Check(foreign: [.. foreign.Split(' ').Select(long.Parse)]);

        Assert.True(linearizable == result.IsLinearizable, $"{what}: {result.Verdict}\n{result.Explanation}");
    }
}

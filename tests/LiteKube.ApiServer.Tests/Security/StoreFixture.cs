using System.Text.Json.Nodes;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.ApiServer.Tests.Security;

/// <summary>An in-memory datastore with the object store over it, for tests below HTTP.</summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    public IKeyValueStore Store { get; } = LocalStore.CreateInMemory();

    public ResourceCatalog Catalog { get; } = ResourceCatalog.BuiltIn();

    public ObjectStore Objects => new(Store, TimeProvider.System);

    public ResourceDefinition Resource(string group, string plural) => Catalog.Find(group, "v1", plural)!;

    /// <summary>Creates an object from JSON; returns it as stored (uid, resourceVersion set).</summary>
    public Task<JsonObject> CreateAsync(string group, string plural, string ns, string json) =>
        Objects.CreateAsync(Resource(group, plural), ns, JsonNode.Parse(json)!.AsObject(), CancellationToken.None);

    public async Task DeleteAsync(string group, string plural, string ns, string name)
    {
        var stored = await Objects.GetStoredAsync(Resource(group, plural), ns, name, CancellationToken.None);
        Assert.True(await Objects.RemoveAsync(Resource(group, plural), ns, name, stored!.Revision, CancellationToken.None));
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}

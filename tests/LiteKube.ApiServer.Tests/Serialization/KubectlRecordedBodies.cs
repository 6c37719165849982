using System.Text.Json.Nodes;

namespace LiteKube.ApiServer.Tests.Serialization;

/// <summary>One command's bodies from KubectlRecordedBodies.txt: the JSON kubectl 1.31 sent and
/// the protobuf kubectl 1.32 and 1.33 sent for the same command.</summary>
public sealed record RecordedBody(string Name, string Path, JsonObject Json, IReadOnlyDictionary<string, byte[]> Protobuf)
{
    public override string ToString() => Name;
}

public static class KubectlRecordedBodies
{
    private static readonly Lazy<IReadOnlyList<RecordedBody>> Bodies = new(Load);

    public static IReadOnlyList<RecordedBody> All => Bodies.Value;

    public static RecordedBody Get(string name) => All.Single(b => b.Name == name);

    /// <summary>(case name, kubectl minor) for every recorded protobuf body.</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var body in All)
        {
            foreach (var client in body.Protobuf.Keys)
            {
                data.Add(body.Name, client);
            }
        }

        return data;
    }

    private static IReadOnlyList<RecordedBody> Load()
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "Serialization", "KubectlRecordedBodies.txt");
        var bodies = new List<RecordedBody>();
        string? name = null, url = null;
        JsonObject? json = null;
        var protobuf = new Dictionary<string, byte[]>();
        foreach (var line in File.ReadLines(path).Where(l => l != "" && !l.StartsWith('#')))
        {
            var parts = line.Split(' ', 3);
            switch (parts[0])
            {
                case "case":
                    Flush();
                    (name, url) = (parts[1], parts[2]);
                    break;
                case "json":
                    json = JsonNode.Parse(line[5..])!.AsObject();
                    break;
                case "proto":
                    protobuf[parts[1]] = Convert.FromHexString(parts[2]);
                    break;
            }
        }

        Flush();
        return bodies;

        void Flush()
        {
            if (name is not null)
            {
                bodies.Add(new RecordedBody(name, url!, json!, protobuf));
            }

            protobuf = [];
        }
    }
}

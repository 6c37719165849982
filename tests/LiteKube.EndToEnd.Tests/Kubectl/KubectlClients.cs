namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary>The real kubectl clients on this machine, by minor version. Every end-to-end
/// workflow runs with all seven: issue #3's bar is that each works with every client 1.27-1.33
/// (they differ in protobuf bodies from 1.32, OpenAPI-driven apply and explain, discovery).</summary>
public static class KubectlClients
{
    public const string Directory = "/usr/lib/google-cloud-sdk/bin";

    public static string Path(int minor) => $"{Directory}/kubectl.1.{minor}";

    public static TheoryData<int> All()
    {
        var data = new TheoryData<int>();
        foreach (var minor in Enumerable.Range(27, 7))
        {
            data.Add(minor);
        }
        return data;
    }
}

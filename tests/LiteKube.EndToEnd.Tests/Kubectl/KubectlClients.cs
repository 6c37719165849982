namespace LiteKube.EndToEnd.Tests.Kubectl;

/// <summary>The real kubectl clients on this machine, by minor version. All seven run where the
/// versions send different requests (protobuf create bodies from 1.32, OpenAPI-driven apply and
/// explain, aggregated discovery); elsewhere the oldest and newest do (see KUBECTL.md).</summary>
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

    public static TheoryData<int> OldestAndNewest() => new() { 27, 33 };
}

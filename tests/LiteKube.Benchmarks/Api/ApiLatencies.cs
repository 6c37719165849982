using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Api;

/// <summary>The latency samples of one kind of call, filled by several tasks under one lock.</summary>
public sealed class ApiLatencies(string name)
{
    public string Name { get; } = name;

    public LatencyRecorder Recorder { get; } = new();

    public object Gate { get; } = new();

    public LatencySummary Summarize()
    {
        lock (Gate)
        {
            return LatencyRecorder.Summarize([Recorder]);
        }
    }
}

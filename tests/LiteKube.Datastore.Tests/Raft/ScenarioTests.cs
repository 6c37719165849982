using System.Runtime.CompilerServices;

namespace LiteKube.Datastore.Tests.Raft;

/// <summary>
/// Runs every Raft/Scenarios/*.txt script and compares each command's trace with the expected output
/// written under it. Set RAFT_SCENARIO_REWRITE=1 to write the actual traces back into the source
/// scripts (then review the diff).
/// </summary>
public sealed class ScenarioTests
{
    private const string RewriteVariable = "RAFT_SCENARIO_REWRITE";

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Raft", "Scenarios"), "*.txt").Order())
        {
            data.Add(Path.GetFileNameWithoutExtension(path));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Scenario_trace_matches_the_script(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Raft", "Scenarios", name + ".txt");
        var script = ScenarioScript.Parse(File.ReadAllText(path));
        var env = new ScenarioEnv();
        var actual = new List<string>();
        var mismatches = new List<string>();
        foreach (var step in script.Steps)
        {
            var output = env.Run(step.Command);
            actual.Add(output);
            if (output != step.Expected && mismatches.Count < 3)
            {
                mismatches.Add($"{name}.txt:{step.Line}: {step.Command}\n--- expected\n{step.Expected}\n--- actual\n{output}");
            }
        }
        if (Environment.GetEnvironmentVariable(RewriteVariable) == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "Scenarios", name + ".txt"), script.Render(actual));
            return;
        }
        Assert.True(mismatches.Count == 0, string.Join("\n\n", mismatches));
    }

    private static string SourceDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}

using System.Text.RegularExpressions;

namespace PayByLink.Infrastructure.Tests;

/// <summary>The docs name only what exists: every file or folder they point at, as the code is now.</summary>
public class DocsTests
{
    private static readonly string[] Apps = ["Core", "Adapters", "Http", "Local", "Api", "Batch", "Notify"];

    public static TheoryData<string> Documents() => new() { "README.md", "docs/architecture.md", "docs/scale.md", "docs/benchmarks.md" };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_path_a_document_names_exists(string document)
    {
        var root = ArmTemplate.RepositoryRoot;
        var text = File.ReadAllText(Path.Combine(root, document));
        var missing = new List<string>();
        foreach (var name in Regex.Matches(text, @"`([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)/?`").Select(m => m.Groups[1].Value).Distinct())
        {
            var first = name.Split('/')[0];
            var candidates = Apps.Contains(first)
                ? [Path.Combine(root, "functions", "PayByLink." + name), Path.Combine(root, "functions", "PayByLink." + name + ".cs")]
                : new[] { Path.Combine(root, name) };
            if (first is "functions" or "tests" or "infra" or "benchmarks" or "docs" or ".ci" || Apps.Contains(first))
            {
                if (!candidates.Any(c => File.Exists(c) || Directory.Exists(c)))
                {
                    missing.Add(name);
                }
            }
        }

        missing.ShouldBeEmpty();
    }
}

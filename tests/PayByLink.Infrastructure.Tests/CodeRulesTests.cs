using System.Text.RegularExpressions;

namespace PayByLink.Infrastructure.Tests;

/// <summary>Habits of the code that a reader relies on, checked over the source.</summary>
public class CodeRulesTests
{
    private static readonly string Functions = Path.Combine(ArmTemplate.RepositoryRoot, "functions");

    private static IEnumerable<string> Sources(string folder = "") =>
        Directory.EnumerateFiles(Path.Combine(Functions, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static string Relative(string path) => Path.GetRelativePath(Functions, path);

    [Fact]
    public void Time_is_read_from_the_clock_each_host_gives_outside_the_composition_roots()
    {
        var wallClock = new Regex(@"\b(DateTimeOffset|DateTime)\.(UtcNow|Now)\b");
        var blindDelay = new Regex(@"Task\.Delay\((?![^;]*\b(clock|Clock|_clock)\b)[^;]*;");

        var offenders = Sources().Where(f => Path.GetFileName(f) != "Program.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//") && (wallClock.IsMatch(l.Text) || blindDelay.IsMatch(l.Text)))
            .Select(l => $"{Relative(l.File)}:{l.Line}: {l.Text.Trim()}").ToList();

        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void No_file_of_the_delivery_rules_is_over_200_lines()
    {
        Sources(Path.Combine("PayByLink.Core", "Delivery")).Select(f => (File: Relative(f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 200).ShouldBeEmpty();
    }

    [Fact]
    public void A_public_type_lives_in_a_file_of_its_name()
    {
        var declaration = new Regex(@"^public (?:static |sealed |abstract |partial |readonly )*(?:class|record struct|record|interface|enum|struct) (\w+)",
            RegexOptions.Multiline);

        var misplaced = Sources().Select(f => (File: f, Names: declaration.Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value).ToList()))
            .Where(f => f.Names.Count > 0 && !f.Names.Contains(Path.GetFileNameWithoutExtension(f.File)))
            .Select(f => $"{Relative(f.File)}: {string.Join(", ", f.Names)}").ToList();

        misplaced.ShouldBeEmpty();
    }

    [Fact]
    public void Each_features_ports_are_in_its_ports_folder()
    {
        var port = new Regex(@"^public interface (\w+)", RegexOptions.Multiline);

        var elsewhere = Sources("PayByLink.Core").Where(f => port.IsMatch(File.ReadAllText(f)) &&
                                                            Path.GetFileName(Path.GetDirectoryName(f)) != "Ports")
            .Select(Relative).ToList();

        elsewhere.ShouldBeEmpty();
    }

    [Fact]
    public void Conditional_writes_are_retried_one_way()
    {
        var handMade = new Regex(@"for \(var attempt = \d+; attempt < \d+|MaxAttempts = \d+|attempt == Max\w*Attempts");

        Sources().Where(f => handMade.IsMatch(File.ReadAllText(f)) && Path.GetFileName(f) != "ConditionalWrite.cs").Select(Relative).ShouldBeEmpty();
    }
}

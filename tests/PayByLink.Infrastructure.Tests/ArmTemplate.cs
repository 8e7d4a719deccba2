using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace PayByLink.Infrastructure.Tests;

/// <summary>infra/main.bicep compiled by the Bicep CLI from NuGet, and ways to find things in the ARM JSON it makes.</summary>
public sealed class ArmTemplate
{
    private static readonly Lazy<ArmTemplate> Compiled = new(() => new ArmTemplate(JsonDocument.Parse(Bicep("build", "main.bicep", "--stdout").Output).RootElement));

    private ArmTemplate(JsonElement root) => Root = root;

    public static ArmTemplate Main => Compiled.Value;

    public JsonElement Root { get; }

    public static string InfraFolder => Path.Combine(RepositoryRoot, "infra");

    public static string RepositoryRoot
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PayByLink.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new InvalidOperationException("PayByLink.sln not found above the test folder.");
        }
    }

    /// <summary>Runs the Bicep CLI in infra/: its exit code and everything it wrote.</summary>
    public static (int ExitCode, string Output, string Errors) Bicep(params string[] arguments)
    {
        var path = typeof(ArmTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        File.Exists(path).ShouldBeTrue($"The Bicep CLI is restored from NuGet to {path}.");
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute); // NuGet does not keep the execute bit
        var start = new ProcessStartInfo(path) { WorkingDirectory = InfraFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors.Result);
    }

    /// <summary>Every resource at every level, with the module path that holds it and the template it sits in.</summary>
    public IEnumerable<(string Module, JsonElement Resource, JsonElement Template)> Resources() => Walk("", Root);

    /// <summary>The resources of a type that the deployment creates (not those it only refers to as existing).</summary>
    public IEnumerable<JsonElement> ResourcesOfType(string type) =>
        Resources().Where(r => r.Resource.GetProperty("type").GetString() == type && !IsExisting(r.Resource)).Select(r => r.Resource);

    /// <summary>The resources a template creates, whether it lists them or names them (symbolic names).</summary>
    public static IEnumerable<JsonElement> ResourcesIn(JsonElement template) =>
        (template.GetProperty("resources").ValueKind == JsonValueKind.Array
            ? template.GetProperty("resources").EnumerateArray()
            : template.GetProperty("resources").EnumerateObject().Select(p => p.Value))
        .Where(r => !IsExisting(r));

    private static bool IsExisting(JsonElement resource) => resource.TryGetProperty("existing", out var existing) && existing.GetBoolean();

    /// <summary>A module's deployment, found by its path of names (<c>api/api-storage-access</c>).</summary>
    public (JsonElement Deployment, JsonElement Template) Module(string path)
    {
        var found = Resources().Single(r => r.Resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments" &&
                                            Join(r.Module, r.Resource.GetProperty("name").GetString()!) == path);
        return (found.Resource, found.Resource.GetProperty("properties").GetProperty("template"));
    }

    public static JsonElement Parameter(JsonElement deployment, string name) =>
        deployment.GetProperty("properties").GetProperty("parameters").GetProperty(name).GetProperty("value");

    /// <summary>The settings an expression builds with <c>createObject</c> (or a literal object's members): name, and value as written.</summary>
    public static IEnumerable<(string Name, string Value)> ObjectEntries(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Select(p => (p.Name, p.Value.ToString()))
            : CreateObjectEntries(value.GetString() ?? "");

    /// <summary>The name and value arguments of every <c>createObject(…)</c> in an ARM expression.</summary>
    private static IEnumerable<(string Name, string Value)> CreateObjectEntries(string expression)
    {
        for (var at = expression.IndexOf("createObject(", StringComparison.Ordinal); at >= 0;
             at = expression.IndexOf("createObject(", at + 1, StringComparison.Ordinal))
        {
            var arguments = new List<string>();
            var start = at + "createObject(".Length;
            var depth = 0;
            var quoted = false;
            for (var i = start; i < expression.Length; i++)
            {
                var c = expression[i];
                if (c == '\'')
                {
                    quoted = !quoted;
                }
                else if (!quoted && c == '(')
                {
                    depth++;
                }
                else if (!quoted && c == ')' && depth-- == 0)
                {
                    arguments.Add(expression[start..i].Trim());
                    break;
                }
                else if (!quoted && c == ',' && depth == 0)
                {
                    arguments.Add(expression[start..i].Trim());
                    start = i + 1;
                }
            }

            for (var i = 0; i + 1 < arguments.Count; i += 2)
            {
                if (arguments[i].StartsWith('\''))
                {
                    yield return (arguments[i].Trim('\''), arguments[i + 1]);
                }
            }
        }
    }

    private static IEnumerable<(string, JsonElement, JsonElement)> Walk(string module, JsonElement template)
    {
        foreach (var resource in ResourcesIn(template))
        {
            yield return (module, resource, template);
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            {
                foreach (var inner in Walk(Join(module, resource.GetProperty("name").GetString()!), resource.GetProperty("properties").GetProperty("template")))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string Join(string module, string name) => module.Length == 0 ? name : $"{module}/{name}";
}

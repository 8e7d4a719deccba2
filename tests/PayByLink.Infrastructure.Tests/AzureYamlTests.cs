using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Serialization;

namespace PayByLink.Infrastructure.Tests;

/// <summary>azure.yaml against azd's published JSON schema, and against the projects it names.</summary>
public class AzureYamlTests
{
    private static JsonNode AzureYaml()
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(Path.Combine(ArmTemplate.RepositoryRoot, "azure.yaml")));
        var json = new SerializerBuilder().JsonCompatible().Build().Serialize(yaml);
        return JsonNode.Parse(json)!;
    }

    // azd's schema is kept beside the repository (../shared/schemas), as in CI; a clone on its own has no copy.
    private static readonly string SchemaPath = Path.Combine(ArmTemplate.RepositoryRoot, "..", "shared", "schemas", "azure.yaml.json");

    // Loaded once: the schema registers itself under its $id.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(SchemaPath));

    private static EvaluationResults Validate(JsonNode azureYaml)
    {
        Skip.IfNot(File.Exists(SchemaPath), $"azd's schema is not at {Path.GetFullPath(SchemaPath)}: a clone on its own has no ../shared/schemas.");
        var schema = Schema.Value;
        var document = System.Text.Json.JsonDocument.Parse(azureYaml.ToJsonString()).RootElement;
        return schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [SkippableFact]
    public void Azure_yaml_is_valid_against_the_azd_schema()
    {
        var result = Validate(AzureYaml());

        result.IsValid.ShouldBeTrue(string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [SkippableFact]
    public void The_schema_check_refuses_a_project_without_services()
    {
        var broken = AzureYaml();
        broken["services"] = new JsonObject();

        Validate(broken).IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Each_service_is_a_dotnet_project_that_exists_the_function_apps_on_functions_and_the_console_on_app_service()
    {
        var services = AzureYaml()["services"]!.AsObject();

        services.Select(s => s.Key).ShouldBe(["api", "batch", "notify", "console"]);
        foreach (var (name, service) in services)
        {
            service!["host"]!.GetValue<string>().ShouldBe(name == "console" ? "appservice" : "function", name);
            service["language"]!.GetValue<string>().ShouldBe("dotnet", name);
            Directory.Exists(Path.Combine(ArmTemplate.RepositoryRoot, service["project"]!.GetValue<string>())).ShouldBeTrue(name);
        }

        AzureYaml()["infra"]!["path"]!.GetValue<string>().ShouldBe("infra");
        File.Exists(Path.Combine(ArmTemplate.RepositoryRoot, AzureYaml()["hooks"]!["postdeploy"]!["run"]!.GetValue<string>())).ShouldBeTrue();
    }
}

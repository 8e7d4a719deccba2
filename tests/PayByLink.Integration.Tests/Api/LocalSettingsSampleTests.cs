using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayByLink.Adapters;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Api;

public class LocalSettingsSampleTests
{
    private static Dictionary<string, string?> SampleValues() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "local.settings.sample.json")))
            .RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":"), p => (string?)p.Value.GetString());

    [Fact]
    public void The_sample_names_every_setting_the_apps_read()
    {
        var names = SampleValues().Keys;

        names.ShouldContain(PayByLinkServices.StorageConnection);
        names.ShouldContain($"{PayByLinkServices.ServiceBusConnection}:fullyQualifiedNamespace");
        names.ShouldContain($"{PayByLinkOptions.Section}:{nameof(PayByLinkOptions.PublicBaseUrl)}");
        names.ShouldContain("FUNCTIONS_WORKER_RUNTIME");
        names.ShouldContain("AzureWebJobsStorage");
        names.ShouldContain("Delivery:MaxDeliveryCount");
        names.ShouldContain("Delivery:SmsPerMinute");
        names.ShouldContain("Delivery:SharedBy");
        names.ShouldContain("Webhooks:LocalRuntime");
        names.ShouldContain("Webhooks:FirstRetry");
        names.ShouldContain("Acs:Endpoint");
        names.ShouldContain("Acs:SmsFrom");
        names.ShouldContain("Acs:EmailFrom");
        names.ShouldContain(TelemetryServices.ApplicationInsightsConnection);
    }

    [Fact]
    public void The_sample_values_pass_start_up_validation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(SampleValues()).Build();
        using var services = new ServiceCollection().AddPayByLink(configuration).BuildServiceProvider();

        services.GetRequiredService<IOptions<PayByLinkOptions>>().Value.PublicBaseUrl.ShouldBe("http://localhost:7071");
    }

    [Fact]
    public void A_missing_public_base_url_fails_validation()
    {
        var values = SampleValues();
        values.Remove($"{PayByLinkOptions.Section}:{nameof(PayByLinkOptions.PublicBaseUrl)}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddPayByLink(configuration).BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<PayByLinkOptions>>().Value);
    }

    [Fact]
    public async Task With_an_account_name_and_a_namespace_the_apps_are_wired_to_that_account_and_Service_Bus()
    {
        var values = SampleValues();
        values.Remove(PayByLinkServices.StorageConnection);
        values[$"{PayByLinkServices.StorageConnection}:accountName"] = "paybylinkstore";
        values[$"{PayByLinkServices.ServiceBusConnection}:fullyQualifiedNamespace"] = "paybylink-bus.servicebus.windows.net";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        await using var services = new ServiceCollection().AddLogging().AddPayByLink(configuration).BuildServiceProvider();

        services.GetRequiredService<PayByLink.Adapters.Storage.StorageClients>().Tables.AccountName.ShouldBe("paybylinkstore");
        services.GetRequiredService<Azure.Messaging.ServiceBus.ServiceBusClient>().FullyQualifiedNamespace.ShouldBe("paybylink-bus.servicebus.windows.net");
        services.GetRequiredService<PayByLink.Core.Ports.ISendMessagePublisher>().ShouldBeOfType<PayByLink.Adapters.ServiceBus.ServiceBusSendPublisher>();
    }
}

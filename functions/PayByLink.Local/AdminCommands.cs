using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;

namespace PayByLink.Local;

/// <summary>
/// Operator commands against the configured storage (Azurite when none is configured):
/// add a merchant; issue, list and revoke its subscription keys.
/// </summary>
public static class AdminCommands
{
    public const string Usage = """
        Usage:
          merchant add <merchantId> --name <display name> [--currency GBP] [--max-amount 10000] [--time-zone Europe/London]
          merchant show <merchantId>
          key issue <merchantId>
          key list <merchantId>
          key revoke <merchantId> <keyId>

        Storage: PayByLinkStorage (connection string) or PayByLinkStorage__accountName, else local Azurite.
        """;

    public static bool Handles(string command) => command is "merchant" or "key" or "help" or "--help";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, IConfiguration? configuration = null)
    {
        output ??= Console.Out;
        if (args.Length < 3 && !(args.Length >= 1 && args[0] is "help" or "--help"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        if (args[0] is "help" or "--help")
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        var config = new ConfigurationManager();
        if (configuration is not null)
        {
            config.AddConfiguration(configuration);
        }
        else
        {
            config.AddEnvironmentVariables();
        }

        config[$"{PayByLinkOptions.Section}:PublicBaseUrl"] ??= LocalRuntime.DefaultUrl;
        await using var azurite = await LocalStorage.ResolveAsync(config, CancellationToken.None);
        var services = new ServiceCollection().AddPayByLink(config).BuildServiceProvider();
        if (!string.IsNullOrEmpty(config[PayByLinkServices.StorageConnection]))
        {
            // Locally; in Azure the infrastructure creates every table, queue and container.
            await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        }

        var admin = services.GetRequiredService<MerchantAdministration>();
        var merchantId = args[2];
        try
        {
            switch (args[0], args[1])
            {
                case ("merchant", "add"):
                    var merchant = await admin.AddMerchantAsync(new Merchant(
                        merchantId,
                        Option(args, "--name") ?? throw new MerchantAdministrationException("--name is required."),
                        Option(args, "--currency") ?? "GBP",
                        decimal.Parse(Option(args, "--max-amount") ?? "10000", CultureInfo.InvariantCulture),
                        Option(args, "--time-zone") ?? Merchant.DefaultTimeZone), CancellationToken.None);
                    await output.WriteLineAsync($"Added merchant {merchant.Id} ({merchant.DisplayName}, {merchant.Currency}, limit {Amounts.Canonical(merchant.MaxAmount)}).");
                    return 0;
                case ("merchant", "show"):
                    var found = await services.GetRequiredService<PayByLink.Core.Ports.IMerchantStore>().FindAsync(merchantId, CancellationToken.None)
                                ?? throw new MerchantAdministrationException($"No merchant with id '{merchantId}'.");
                    await output.WriteLineAsync($"{found.Id}\t{found.DisplayName}\t{found.Currency}\t{Amounts.Canonical(found.MaxAmount)}\t{found.TimeZone}");
                    return 0;
                case ("key", "issue"):
                    var (key, record) = await admin.IssueKeyAsync(merchantId, CancellationToken.None);
                    await output.WriteLineAsync($"Issued key {record.KeyId} for {merchantId}. Store it now; it is not shown again:");
                    await output.WriteLineAsync(key);
                    return 0;
                case ("key", "list"):
                    foreach (var k in await admin.ListKeysAsync(merchantId, CancellationToken.None))
                    {
                        var state = k.IsActive ? "active" : $"revoked {k.RevokedAt:yyyy-MM-ddTHH:mm:ssZ}";
                        await output.WriteLineAsync($"{k.KeyId}\t{k.Hint}\tcreated {k.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}\t{state}");
                    }

                    return 0;
                case ("key", "revoke") when args.Length >= 4:
                    await admin.RevokeKeyAsync(merchantId, args[3], CancellationToken.None);
                    await output.WriteLineAsync($"Revoked key {args[3]} of {merchantId}.");
                    return 0;
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (Exception e) when (e is MerchantAdministrationException or FormatException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

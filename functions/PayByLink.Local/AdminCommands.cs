using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using PayByLink.Adapters;
using PayByLink.Adapters.Secrets;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.Ports;

namespace PayByLink.Local;

/// <summary>
/// Operator commands against the configured storage (Azurite when none is configured): add or show a merchant;
/// issue, list and revoke its subscription keys. Exit codes: 0 done, 1 refused (an unknown merchant, a bad id),
/// 2 the command itself is wrong (a one-line error and the usage).
/// </summary>
public static class AdminCommands
{
    public const string Usage = """
        Usage:
          [run] [--urls <url>] [--Local:DataFolder=<folder>] [--<setting>=<value> ...]   run the whole suite locally
          merchant add <merchantId> --name <display name> [--currency GBP] [--max-amount 10000] [--time-zone Europe/London]
          merchant show <merchantId>
          merchant limits <merchantId> [--rate <per second>] [--burst <requests>] [--daily-sms <messages>] [--daily-email <messages>]
          merchant retention <merchantId> [--request-days <days>] [--batch-days <days>]
          key issue <merchantId>
          key list <merchantId>
          key revoke <merchantId> <keyId>
          user add <email> --merchant <merchantId> --role <viewer|agent|operator|admin>   (or change their role)
          user list <merchantId>
          user remove <email> --merchant <merchantId>
          erase <merchantId> (--mobile <number> | --email <address>)   erase a person's data (UK GDPR article 17)

        Storage: PayByLinkStorage (connection string) or PayByLinkStorage__accountName, else local Azurite.
        """;

    public static bool Handles(string command) => command is "merchant" or "key" or "user" or "erase" or "help" or "--help";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, IConfiguration? configuration = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        if (args is ["help" or "--help"])
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        var parsed = Commands(new Runner(output, error, configuration)).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            await error.WriteLineAsync($"error: {first.Message}");
            await error.WriteLineAsync(Usage);
            return 2;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static RootCommand Commands(Runner run)
    {
        var merchantId = new Argument<string>("merchantId") { Description = "The merchant's id: 3-40 lower-case letters, digits and hyphens." };
        var keyId = new Argument<string>("keyId") { Description = "The key's id, as key list shows it." };
        var name = new Option<string>("--name") { Description = "The name customers see.", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 code.", DefaultValueFactory = _ => "GBP" };
        var maxAmount = new Option<decimal>("--max-amount")
        {
            Description = "The largest amount one request may ask for.",
            DefaultValueFactory = _ => 10_000m,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0)
                {
                    return value;
                }

                result.AddError($"--max-amount must be a positive number such as 2500, not '{text}'.");
                return 0;
            },
        };
        var timeZone = new Option<string>("--time-zone") { Description = "IANA time zone.", DefaultValueFactory = _ => Merchant.DefaultTimeZone };

        var add = new Command("add", "Add a merchant.") { merchantId, name, currency, maxAmount, timeZone };
        add.SetAction((parse, ct) => run.Async(async services =>
        {
            var merchant = await services.GetRequiredService<MerchantAdministration>().AddMerchantAsync(new Merchant(
                parse.GetValue(merchantId)!, parse.GetValue(name)!, parse.GetValue(currency)!, parse.GetValue(maxAmount), parse.GetValue(timeZone)!), ct);
            return $"Added merchant {merchant.Id} ({merchant.DisplayName}, {merchant.Currency}, limit {Amounts.Canonical(merchant.MaxAmount)}).";
        }));

        var show = new Command("show", "Show a merchant's settings.") { merchantId };
        show.SetAction((parse, ct) => run.Async(async services =>
        {
            var id = parse.GetValue(merchantId)!;
            var found = await services.GetRequiredService<IMerchantStore>().RequireAsync(id, ct);
            return $"{found.Id}\t{found.DisplayName}\t{found.Currency}\t{Amounts.Canonical(found.MaxAmount)}\t{found.TimeZone}\t{Describe(services.GetRequiredService<PayByLink.Core.Limits.PlatformLimits>().For(found))}\t{Describe(found.Retention)}";
        }));

        var rate = new Option<int?>("--rate") { Description = "Requests a second each key may make (default 50)." };
        var burst = new Option<int?>("--burst") { Description = "Requests a key may make at once (default 100)." };
        var dailySms = new Option<int?>("--daily-sms") { Description = "SMS messages a day (default 20,000)." };
        var dailyEmail = new Option<int?>("--daily-email") { Description = "Emails a day (default 20,000)." };
        var limits = new Command("limits", "Set a merchant's request rate and daily message caps.") { merchantId, rate, burst, dailySms, dailyEmail };
        limits.SetAction((parse, ct) => run.Async(async services =>
        {
            var changed = await services.GetRequiredService<MerchantAdministration>().SetLimitsAsync(parse.GetValue(merchantId)!,
                parse.GetValue(rate), parse.GetValue(burst), parse.GetValue(dailySms), parse.GetValue(dailyEmail), ct);
            return $"Limits of {changed.Id}: {Describe(changed.OwnLimits!)}.";
        }));

        var requestDays = new Option<int?>("--request-days") { Description = "Days a request's personal data is kept after it ends (default 90)." };
        var batchDays = new Option<int?>("--batch-days") { Description = "Days a batch's lines as uploaded are kept (default 30)." };
        var retention = new Command("retention", "Set how long the merchant's customers' personal data is kept.") { merchantId, requestDays, batchDays };
        retention.SetAction((parse, ct) => run.Async(async services =>
        {
            var changed = await services.GetRequiredService<MerchantAdministration>().SetRetentionAsync(parse.GetValue(merchantId)!,
                parse.GetValue(requestDays), parse.GetValue(batchDays), ct);
            return $"Retention of {changed.Id}: {Describe(changed.Retention)}.";
        }));

        var issue = new Command("issue", "Issue a key; it is shown once.") { merchantId };
        issue.SetAction((parse, ct) => run.Async(async services =>
        {
            var id = parse.GetValue(merchantId)!;
            var (key, record) = await services.GetRequiredService<MerchantAdministration>().IssueKeyAsync(id, ct);
            return $"Issued key {record.KeyId} for {id}. Store it now; it is not shown again:\n{key}";
        }));

        var list = new Command("list", "List a merchant's keys (never the keys themselves).") { merchantId };
        list.SetAction((parse, ct) => run.Async(async services =>
        {
            var keys = await services.GetRequiredService<MerchantAdministration>().ListKeysAsync(parse.GetValue(merchantId)!, ct);
            return string.Join('\n', keys.Select(k =>
                $"{k.KeyId}\t{k.Hint}\tcreated {k.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}\t{(k.IsActive ? "active" : $"revoked {k.RevokedAt:yyyy-MM-ddTHH:mm:ssZ}")}"));
        }));

        var revoke = new Command("revoke", "Revoke a key: the next call with it is refused.") { merchantId, keyId };
        revoke.SetAction((parse, ct) => run.Async(async services =>
        {
            var (id, key) = (parse.GetValue(merchantId)!, parse.GetValue(keyId)!);
            await services.GetRequiredService<MerchantAdministration>().RevokeKeyAsync(id, key, ct);
            return $"Revoked key {key} of {id}.";
        }));

        var email = new Argument<string>("email") { Description = "The person's email address, as they sign in." };
        var ofMerchant = new Option<string>("--merchant") { Description = "The merchant's id.", Required = true };
        var role = new Option<string>("--role") { Description = "viewer, agent, operator or admin.", Required = true };
        var userAdd = new Command("add", "Let a person use a merchant's console with a role, or change their role.") { email, ofMerchant, role };
        userAdd.SetAction((parse, ct) => run.Async(async services =>
        {
            var member = await services.GetRequiredService<PayByLink.Core.Staff.StaffAdministration>().AddAsync(parse.GetValue(ofMerchant)!,
                parse.GetValue(email)!, parse.GetValue(role)!, ct);
            return $"{member.Email} is {member.Role.ToString().ToLowerInvariant()} of {member.MerchantId}.";
        }));

        var userList = new Command("list", "List who may use a merchant's console.") { merchantId };
        userList.SetAction((parse, ct) => run.Async(async services =>
        {
            var members = await services.GetRequiredService<PayByLink.Core.Staff.StaffAdministration>().ListAsync(parse.GetValue(merchantId)!, ct);
            return string.Join('\n', members.Select(m => $"{m.Email}\t{m.Role.ToString().ToLowerInvariant()}\tadded {m.AddedAt:yyyy-MM-ddTHH:mm:ssZ}"));
        }));

        var userRemove = new Command("remove", "Take a person off a merchant's console.") { email, ofMerchant };
        userRemove.SetAction((parse, ct) => run.Async(async services =>
        {
            var (merchant, address) = (parse.GetValue(ofMerchant)!, parse.GetValue(email)!);
            await services.GetRequiredService<PayByLink.Core.Staff.StaffAdministration>().RemoveAsync(merchant, address, ct);
            return $"Removed {address.ToLowerInvariant()} from {merchant}.";
        }));

        var mobile = new Option<string?>("--mobile") { Description = "The person's mobile number." };
        var personEmail = new Option<string?>("--email") { Description = "The person's email address." };
        var erase = new Command("erase", "Erase a person's data from every row of the merchant's that holds it; their opt-out is kept as a hash.")
            { merchantId, mobile, personEmail };
        erase.SetAction((parse, ct) => run.Async(async services =>
        {
            var merchant = await services.GetRequiredService<IMerchantStore>().RequireAsync(parse.GetValue(merchantId)!, ct);
            var result = await services.GetRequiredService<PayByLink.Core.Erasure.ErasePerson>().EraseAsync(merchant,
                new PayByLink.Core.Erasure.ErasureInput(parse.GetValue(mobile), parse.GetValue(personEmail)), PayByLink.Core.Events.Actor.Administrator, ct);
            if (!result.IsValid)
            {
                throw new MerchantAdministrationException(string.Join(" ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
            }

            var erased = result.Value!;
            return string.Create(CultureInfo.InvariantCulture,
                $"Erased: {erased.Requests} requests, {erased.OptOuts} opt-outs kept as a hash, {erased.BatchLines} batch lines.");
        }));

        return new RootCommand("PayByLink administration")
        {
            new Command("merchant", "Merchants.") { add, show, limits, retention },
            new Command("key", "Subscription keys.") { issue, list, revoke },
            new Command("user", "Who may use a merchant's console.") { userAdd, userList, userRemove },
            erase,
        };
    }

    private static string Describe(Retention r) =>
        string.Create(CultureInfo.InvariantCulture, $"requests kept {r.RequestDays} days after they end, batch lines {r.BatchDays} days");

    private static string Describe(PayByLink.Core.Limits.MerchantLimits l) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{l.RequestsPerSecond} requests/s per key (burst {l.Burst}), {l.DailySms:N0} SMS and {l.DailyEmails:N0} emails a day");

    /// <summary>Runs one command against storage: its output line on success, a one-line reason and exit code 1 when refused.</summary>
    private sealed class Runner(TextWriter output, TextWriter error, IConfiguration? configuration)
    {
        public async Task<int> Async(Func<IServiceProvider, Task<string>> command)
        {
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
            var local = string.IsNullOrEmpty(config[PayByLinkServices.StorageConnection]) && string.IsNullOrEmpty(config[$"{PayByLinkServices.StorageConnection}:accountName"]);
            if (local || !string.IsNullOrEmpty(config[PayByLinkServices.StorageConnection]))
            {
                LocalSecrets.EnsureKey(config);
            }

            await using var azurite = await LocalStorage.ResolveForCommandAsync(config, CancellationToken.None);
            await using var services = new ServiceCollection().AddPayByLink(config).BuildServiceProvider();
            try
            {
                if (!string.IsNullOrEmpty(config[PayByLinkServices.StorageConnection]))
                {
                    // Locally; in Azure the infrastructure creates every table, queue and container.
                    await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
                }

                if (!string.IsNullOrEmpty(config[SecretProtector.KeySetting]))
                {
                    // Secrets, links and opt-outs stored before they were protected, or under a key being rotated out.
                    await services.GetRequiredService<StoredDataProtection>().RunAsync(CancellationToken.None);
                    await services.GetRequiredService<RequestBackfill>().RunAsync(CancellationToken.None);
                }

                var said = await command(services);
                if (said.Length > 0)
                {
                    await output.WriteLineAsync(said);
                }

                return 0;
            }
            catch (Exception e) when (e is MerchantAdministrationException or OptionsValidationException or StorageUnavailableException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        }
    }
}

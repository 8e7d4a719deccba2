using System.Text.Json;
using System.Text.RegularExpressions;

namespace PayByLink.Infrastructure.Tests;

/// <summary>infra/ compiled and linted by the Bicep CLI, and the ARM JSON it makes held to the suite's security rules.</summary>
public class InfrastructureTests
{
    private static readonly string[] Apps = ["api", "batch", "notify"];

    private static ArmTemplate Arm => ArmTemplate.Main;

    private static JsonElement Props(JsonElement resource) => resource.GetProperty("properties");

    [Fact]
    public void The_bicep_builds_and_lints_without_a_warning()
    {
        var build = ArmTemplate.Bicep("build", "main.bicep", "--stdout");
        build.ExitCode.ShouldBe(0, build.Errors);
        build.Errors.ShouldBeEmpty();

        var lint = ArmTemplate.Bicep("lint", "main.bicep");
        lint.ExitCode.ShouldBe(0, lint.Errors);
        (lint.Output + lint.Errors).ShouldBeEmpty();
    }

    [Fact]
    public void The_important_lint_rules_are_errors()
    {
        var rules = JsonDocument.Parse(File.ReadAllText(Path.Combine(ArmTemplate.InfraFolder, "bicepconfig.json"))).RootElement
            .GetProperty("analyzers").GetProperty("core").GetProperty("rules");
        foreach (var rule in new[] { "outputs-should-not-contain-secrets", "secure-secrets-in-params", "no-hardcoded-env-urls", "use-recent-api-versions", "no-unused-params" })
        {
            rules.GetProperty(rule).GetProperty("level").GetString().ShouldBe("error", rule);
        }
    }

    [Fact]
    public void Storage_is_private_https_only_and_tls_1_2_with_shared_keys_off()
    {
        // The data's account and the deployment packages' account.
        Arm.ResourcesOfType("Microsoft.Storage/storageAccounts").Count().ShouldBe(2);
        foreach (var account in Arm.ResourcesOfType("Microsoft.Storage/storageAccounts").Select(Props))
        {
            account.GetProperty("allowBlobPublicAccess").GetBoolean().ShouldBeFalse();
            account.GetProperty("allowSharedKeyAccess").GetBoolean().ShouldBeFalse();
            account.GetProperty("supportsHttpsTrafficOnly").GetBoolean().ShouldBeTrue();
            account.GetProperty("minimumTlsVersion").GetString().ShouldBe("TLS1_2");
        }

        Arm.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .ShouldAllBe(c => Props(c).GetProperty("publicAccess").GetString() == "None");

        var storage = Arm.Module("storage").Deployment;
        ArmTemplate.Parameter(storage, "containers").EnumerateArray().Select(c => c.GetString()).ShouldContain("batch-uploads");
        ArmTemplate.Parameter(storage, "queues").EnumerateArray().Select(c => c.GetString()).ShouldBe(new[]
        {
            PayByLink.Adapters.Storage.StorageNames.BatchProcessQueue, PayByLink.Adapters.Storage.StorageNames.BatchChunksQueue,
            PayByLink.Adapters.Storage.StorageNames.WebhookQueue,
        }.SelectMany(q => new[] { q, q + PayByLink.Adapters.Storage.StorageNames.PoisonSuffix }));
        ArmTemplate.Parameter(storage, "tables").EnumerateArray().Select(c => c.GetString())
            .ShouldBe(PayByLink.Adapters.Storage.StorageNames.Tables.Where(t => t != "Outbox"), ignoreOrder: true);
    }

    [Fact]
    public void Storage_service_bus_key_vault_and_every_app_send_all_their_logs_to_the_log_analytics_workspace()
    {
        var settings = Arm.Resources().Where(r => r.Resource.GetProperty("type").GetString() == "Microsoft.Insights/diagnosticSettings").ToList();
        settings.Select(s => Regex.Match(s.Resource.GetProperty("scope").GetString()!, @"resourceId\('([^']+)'").Groups[1].Value).ShouldBe(
        [
            // The data's account and the deployment packages' account.
            "Microsoft.Storage/storageAccounts/blobServices", "Microsoft.Storage/storageAccounts/queueServices",
            "Microsoft.Storage/storageAccounts/tableServices", "Microsoft.Storage/storageAccounts/blobServices",
            "Microsoft.Storage/storageAccounts/queueServices", "Microsoft.Storage/storageAccounts/tableServices", "Microsoft.ServiceBus/namespaces", "Microsoft.KeyVault/vaults",
            "Microsoft.Web/sites", "Microsoft.Web/sites", "Microsoft.Web/sites", "Microsoft.Web/sites",
        ], ignoreOrder: true);
        foreach (var (module, setting, _) in settings)
        {
            Props(setting).GetProperty("logs").EnumerateArray().ShouldContain(l => l.GetProperty("categoryGroup").GetString() == "allLogs", module);
            Props(setting).GetProperty("workspaceId").GetString().ShouldBe("[parameters('logAnalyticsWorkspaceId')]", module);
        }

        // Every module is given the one workspace.
        Arm.Resources().Where(r => r.Resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments" &&
                                   Props(r.Resource).GetProperty("parameters").TryGetProperty("logAnalyticsWorkspaceId", out _))
            .Select(r => Props(r.Resource).GetProperty("parameters").GetProperty("logAnalyticsWorkspaceId").GetProperty("value").GetString())
            .ShouldAllBe(v => v!.Contains("logAnalyticsWorkspaceId"));
    }

    [Fact]
    public void Every_app_reads_the_stored_secrets_key_from_the_vault_and_batch_and_notify_may_read_that_secret_alone()
    {
        foreach (var app in Apps)
        {
            SettingEntries(app).Single(s => s.Name == "Secrets__EncryptionKey").Value.ShouldContain("SecretName=secrets-encryption-key", Case.Sensitive, app);
            SettingEntries(app).Single(s => s.Name == "Secrets__EncryptionKeyId").Value.Trim('\'').ShouldBe("1", app);
        }

        foreach (var app in new[] { "batch", "notify" })
        {
            var (_, template) = Arm.Module($"{app}/{app}-secrets-key-access");
            var assignment = ArmTemplate.ResourcesIn(template).Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments");
            assignment.GetProperty("scope").GetString()!.ShouldContain("Microsoft.KeyVault/vaults/secrets", Case.Sensitive, app);
        }

        var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(ArmTemplate.InfraFolder, "main.parameters.json"))).RootElement.GetProperty("parameters");
        parameters.GetProperty("secretsEncryptionKey").GetProperty("value").GetString().ShouldStartWith("$(secretOrRandomPassword ${AZURE_KEY_VAULT_NAME} ");
        Arm.Root.GetProperty("parameters").GetProperty("secretsEncryptionKey").GetProperty("type").GetString().ShouldBe("securestring");
    }

    [Fact]
    public void Every_app_reads_the_lookup_key_from_the_vault_and_batch_and_notify_may_read_that_secret_alone()
    {
        foreach (var app in Apps)
        {
            SettingEntries(app).Single(s => s.Name == "Secrets__LookupKey").Value.ShouldContain("SecretName=lookup-key", Case.Sensitive, app);
        }

        foreach (var app in new[] { "batch", "notify" })
        {
            var (_, template) = Arm.Module($"{app}/{app}-lookup-key-access");
            var assignment = ArmTemplate.ResourcesIn(template).Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments");
            assignment.GetProperty("scope").GetString()!.ShouldContain("Microsoft.KeyVault/vaults/secrets", Case.Sensitive, app);
        }

        Arm.Root.GetProperty("parameters").GetProperty("lookupKey").GetProperty("type").GetString().ShouldBe("securestring");
    }

    [Fact]
    public void Only_the_consoles_origin_may_put_a_file_to_an_upload_url_from_a_browser()
    {
        var storage = Arm.Module("storage");
        ArmTemplate.Parameter(storage.Deployment, "uploadOrigins").EnumerateArray().Select(o => o.GetString())
            .ShouldBe(["[format('https://{0}.azurewebsites.net', variables('consoleName'))]"]);
        ArmTemplate.Parameter(Arm.Module("console").Deployment, "name").GetString().ShouldBe("[variables('consoleName')]");
        var blobs = Props(storage.Template.GetProperty("resources").EnumerateObject().Select(p => p.Value)
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts/blobServices"));
        var rule = blobs.GetProperty("cors").GetProperty("corsRules").GetString()!;
        rule.ShouldContain("parameters('uploadOrigins')");
        rule.ShouldContain("'PUT'");
        rule.ShouldNotContain("'GET'");
        foreach (var header in PayByLink.Adapters.Storage.StorageClients.UploadHeaders.Split(','))
        {
            rule.ShouldContain($"'{header}'");
        }
    }

    [Fact]
    public void Undeliverable_carrier_events_are_deleted_after_their_retention()
    {
        var rules = Props(Arm.Module("storage").Template.GetProperty("resources").EnumerateObject().Select(p => p.Value)
                .Single(r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts/managementPolicies"))
            .GetProperty("policy").GetProperty("rules").EnumerateArray().ToList();
        var deadLetters = rules.Single(r => r.GetProperty("definition").GetProperty("filters").GetProperty("prefixMatch").EnumerateArray()
            .Any(p => p.GetString() == "carrier-events-deadletter/"));
        deadLetters.GetProperty("definition").GetProperty("actions").GetProperty("baseBlob").GetProperty("delete")
            .GetProperty("daysAfterModificationGreaterThan").GetString().ShouldBe("[parameters('deadLetterRetentionDays')]");
    }

    [Fact]
    public void Service_bus_is_entra_only_and_its_queues_detect_duplicates_limit_deliveries_and_dead_letter()
    {
        var namespaceProps = Props(Arm.ResourcesOfType("Microsoft.ServiceBus/namespaces").Single());
        namespaceProps.GetProperty("disableLocalAuth").GetBoolean().ShouldBeTrue();
        namespaceProps.GetProperty("minimumTlsVersion").GetString().ShouldBe("1.2");

        var queue = Props(Arm.ResourcesOfType("Microsoft.ServiceBus/namespaces/queues").Single());
        queue.GetProperty("requiresDuplicateDetection").GetBoolean().ShouldBeTrue();
        queue.GetProperty("maxDeliveryCount").GetInt32().ShouldBe(6);
        queue.GetProperty("deadLetteringOnMessageExpiration").GetBoolean().ShouldBeTrue();
        ArmTemplate.Parameter(Arm.Module("service-bus").Deployment, "queues").EnumerateArray().Select(q => q.GetString())
            .ShouldBe([PayByLink.Adapters.Storage.StorageNames.SmsQueue, PayByLink.Adapters.Storage.StorageNames.EmailQueue]);
        ArmTemplate.Parameter(Arm.Module("service-bus").Deployment, "sessionQueues").EnumerateArray().Select(q => q.GetString())
            .ShouldBe([PayByLink.Adapters.Storage.StorageNames.BulkSmsQueue, PayByLink.Adapters.Storage.StorageNames.BulkEmailQueue]);
        queue.GetProperty("requiresSession").GetString().ShouldBe("[contains(parameters('sessionQueues'), concat(parameters('queues'), parameters('sessionQueues'))[copyIndex()])]");
    }

    [Fact]
    public void Monitoring_accepts_telemetry_only_from_identities()
    {
        Props(Arm.ResourcesOfType("Microsoft.Insights/components").Single()).GetProperty("DisableLocalAuth").GetBoolean().ShouldBeTrue();
        Arm.ResourcesOfType("Microsoft.OperationalInsights/workspaces").Count().ShouldBe(1);
    }

    [Fact]
    public void Payment_provider_secrets_live_in_an_rbac_key_vault_the_api_reads_with_its_identity()
    {
        var vault = Props(Arm.ResourcesOfType("Microsoft.KeyVault/vaults").Single());
        vault.GetProperty("enableRbacAuthorization").GetBoolean().ShouldBeTrue();
        vault.GetProperty("enablePurgeProtection").GetBoolean().ShouldBeTrue();

        var site = ArmTemplate.ResourcesIn(Arm.Module("api/api-app").Template).Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
        Props(site).GetProperty("keyVaultReferenceIdentity").GetString().ShouldNotBeNullOrEmpty();
        SettingEntries("api").Single(s => s.Name == "Payments__Gateway").Value.ShouldBe("'stripe'");
    }

    [Fact]
    public void Communication_services_has_an_email_service_and_a_linked_domain()
    {
        Arm.ResourcesOfType("Microsoft.Communication/emailServices").Count().ShouldBe(1);
        Arm.ResourcesOfType("Microsoft.Communication/emailServices/domains").Count().ShouldBe(1);
        Props(Arm.ResourcesOfType("Microsoft.Communication/communicationServices").Single()).GetProperty("linkedDomains").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public void Communication_services_events_reach_the_api_by_event_grid_with_retries_and_dead_letters_written_by_the_topics_own_identity()
    {
        var topic = Arm.ResourcesOfType("Microsoft.EventGrid/systemTopics")
            .Single(t => Props(t).GetProperty("topicType").GetString() == "Microsoft.Communication.CommunicationServices");
        topic.GetProperty("identity").GetProperty("type").GetString().ShouldBe("SystemAssigned");

        var subscription = Arm.ResourcesOfType("Microsoft.EventGrid/systemTopics/eventSubscriptions").Single();
        subscription.GetProperty("condition").GetString().ShouldContain("parameters('subscribe')");
        var properties = Props(subscription);
        properties.GetProperty("filter").GetProperty("includedEventTypes").EnumerateArray().Select(t => t.GetString()).ShouldBe(
        [
            "Microsoft.Communication.SMSDeliveryReportReceived", "Microsoft.Communication.EmailDeliveryReportReceived",
            "Microsoft.Communication.SMSReceived",
        ]);
        var destination = properties.GetProperty("destination");
        destination.GetProperty("endpointType").GetString().ShouldBe("WebHook");
        destination.GetProperty("properties").GetProperty("endpointUrl").GetString().ShouldBe("[parameters('endpointUrl')]");
        ArmTemplate.Parameter(Arm.Module("carrier-events").Deployment, "endpointUrl").GetString()!.ShouldContain("/api/acs/events?key=");
        properties.GetProperty("retryPolicy").GetProperty("maxDeliveryAttempts").GetInt32().ShouldBe(30);
        properties.TryGetProperty("deadLetterDestination", out _).ShouldBeFalse("dead letters are written with the topic's identity, not a key");
        var deadLetter = properties.GetProperty("deadLetterWithResourceIdentity");
        deadLetter.GetProperty("identity").GetProperty("type").GetString().ShouldBe("SystemAssigned");
        deadLetter.GetProperty("deadLetterDestination").GetProperty("endpointType").GetString().ShouldBe("StorageBlob");

        var writer = ArmTemplate.ResourcesIn(Arm.Module("carrier-events").Template).Single(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments");
        RoleName(Props(writer).GetProperty("roleDefinitionId").GetString()!).ShouldBe("storageBlobDataContributor");
        writer.GetProperty("scope").GetString()!.ShouldContain("blobServices/containers");

        // The key: made once by azd and kept in the vault, read by the Api app through a Key Vault reference.
        var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(ArmTemplate.InfraFolder, "main.parameters.json"))).RootElement.GetProperty("parameters");
        parameters.GetProperty("carrierEventsKey").GetProperty("value").GetString().ShouldStartWith("$(secretOrRandomPassword ${AZURE_KEY_VAULT_NAME} ");
        Arm.Root.GetProperty("parameters").GetProperty("carrierEventsKey").GetProperty("type").GetString().ShouldBe("securestring");
        SettingEntries("api").Single(s => s.Name == "CarrierEvents__Key").Value.ShouldContain("SecretName=carrier-events-key");
    }

    [Fact]
    public void Each_function_app_is_flex_consumption_https_only_tls_1_2_without_ftp_and_has_its_own_identity()
    {
        var plan = Arm.ResourcesOfType("Microsoft.Web/serverfarms").Single(p => p.GetProperty("kind").GetString() == "functionapp");
        plan.GetProperty("sku").GetProperty("name").GetString().ShouldBe("FC1");

        foreach (var app in Apps)
        {
            var template = Arm.Module(app).Template;
            var site = ArmTemplate.ResourcesIn(Arm.Module($"{app}/{app}-app").Template)
                .Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
            var props = Props(site);
            props.GetProperty("httpsOnly").GetBoolean().ShouldBeTrue(app);
            props.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString().ShouldBe("1.2");
            props.GetProperty("siteConfig").GetProperty("ftpsState").GetString().ShouldBe("Disabled");
            props.GetProperty("functionAppConfig").GetProperty("runtime").GetProperty("name").GetString().ShouldBe("dotnet-isolated");
            props.GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage").GetProperty("authentication")
                .GetProperty("type").GetString().ShouldBe("UserAssignedIdentity");
            site.GetProperty("identity").GetProperty("type").GetString().ShouldBe("UserAssigned");
            site.GetProperty("identity").GetProperty("userAssignedIdentities").EnumerateObject().Count().ShouldBe(1);
            ArmTemplate.ResourcesIn(template)
                .Count(r => r.GetProperty("type").GetString() == "Microsoft.ManagedIdentity/userAssignedIdentities").ShouldBe(1, app);
            ArmTemplate.Parameter(Arm.Module($"{app}/{app}-app").Deployment, "serviceName").GetString().ShouldBe(app);
        }

        Arm.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities").Count().ShouldBe(4);
        Arm.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").Count().ShouldBe(8);
        Arm.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ShouldAllBe(p => !Props(p).GetProperty("allow").GetBoolean());
    }

    [Fact]
    public void The_console_is_an_https_only_web_app_of_its_own_identity_signing_staff_in_with_entra_by_a_secret_in_the_vault()
    {
        var site = ArmTemplate.ResourcesIn(Arm.Module("console/console-app").Template).Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
        var props = Props(site);
        props.GetProperty("httpsOnly").GetBoolean().ShouldBeTrue();
        props.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString().ShouldBe("1.2");
        props.GetProperty("siteConfig").GetProperty("ftpsState").GetString().ShouldBe("Disabled");
        props.GetProperty("siteConfig").GetProperty("linuxFxVersion").GetString().ShouldBe("DOTNETCORE|10.0");
        site.GetProperty("identity").GetProperty("userAssignedIdentities").EnumerateObject().Count().ShouldBe(1);
        ArmTemplate.Parameter(Arm.Module("console/console-app").Deployment, "serviceName").GetString().ShouldBe("console");

        var settings = SettingEntries("console");
        settings.Single(s => s.Name == "PAYBYLINK_ENVIRONMENT").Value.Trim('\'').ShouldBe("Azure");
        settings.Single(s => s.Name == "ASPNETCORE_FORWARDEDHEADERS_ENABLED").Value.Trim('\'').ShouldBe("true");
        settings.Single(s => s.Name == "Console__Authority").Value.ShouldContain("environment().authentication.loginEndpoint");
        settings.Single(s => s.Name == "Console__ClientSecret").Value.ShouldContain("@Microsoft.KeyVault(");
        settings.Single(s => s.Name == "Console__ClientSecret").Value.ShouldContain("console-client-secret");
        settings.ShouldNotContain(s => s.Name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && s.Name != "APPLICATIONINSIGHTS_CONNECTION_STRING");
        Arm.Root.GetProperty("outputs").GetProperty("CONSOLE_SIGN_IN_REDIRECT_URI").GetProperty("value").GetString().ShouldContain("/console/signin-oidc");
    }

    [Theory]
    [InlineData("api", "serviceBusDataSender,keyVaultSecretsUser,monitoringMetricsPublisher")]
    [InlineData("batch", "serviceBusDataSender,keyVaultSecretsUser,keyVaultSecretsUser,monitoringMetricsPublisher")]
    [InlineData("notify", "serviceBusDataReceiver,serviceBusDataSender,keyVaultSecretsUser,keyVaultSecretsUser,communicationAndEmailServiceOwner,monitoringMetricsPublisher")]
    [InlineData("console", "serviceBusDataSender,keyVaultSecretsUser,monitoringMetricsPublisher")]
    public void Each_app_gets_exactly_the_roles_it_needs_beside_storage(string app, string roles)
    {
        var granted = new List<string>();
        foreach (var (module, resource, _) in Arm.Resources().Where(r => r.Module == app && r.Resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments"))
        {
            var name = resource.GetProperty("name").GetString()!;
            if (name.EndsWith("-storage-access", StringComparison.Ordinal) || name.EndsWith("-deployment-access", StringComparison.Ordinal))
            {
                continue;
            }

            var parameters = resource.GetProperty("properties").GetProperty("parameters");
            if (parameters.TryGetProperty("roleIds", out var roleIds))
            {
                granted.AddRange(roleIds.GetProperty("value").EnumerateArray().Select(r => RoleName(r.GetString()!)));
                continue;
            }

            granted.AddRange(ArmTemplate.ResourcesIn(resource.GetProperty("properties").GetProperty("template"))
                .Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
                .Select(r => RoleName(Props(r).GetProperty("roleDefinitionId").GetString()!)));
        }

        granted.ShouldBe(roles.Split(','), ignoreOrder: true);
    }

    [Theory]
    [InlineData("api", "storageBlobDelegator",
        "batch-uploads:storageBlobDataContributor,azure-webjobs-hosts:storageBlobDataOwner,azure-webjobs-secrets:storageBlobDataOwner",
        "storageQueueDataMessageSender", "batch-process,webhook-deliveries",
        "Merchants,ApiKeys,PaymentRequests,PaymentRequestIndex,PaymentRequestStatus,PaymentRequestClaims,PaymentLinks,Schedule,Payments,Batches,BatchLines,Webhooks,OptOuts,DeliveryReferences,BatchFunnels,MessageCounts,Instances,LinkGuesses,Staff,MerchantStats")]
    [InlineData("batch", "",
        "batch-uploads:storageBlobDataContributor,azure-webjobs-hosts:storageBlobDataOwner,azure-webjobs-secrets:storageBlobDataOwner",
        "storageQueueDataContributor", "batch-process,batch-process-poison,batch-chunks,batch-chunks-poison,webhook-deliveries,webhook-deliveries-poison",
        "Merchants,PaymentRequests,PaymentRequestIndex,PaymentRequestStatus,PaymentRequestClaims,PaymentLinks,Schedule,Payments,Batches,BatchLines,Webhooks,OptOuts,BatchFunnels,MessageCounts,LinkGuesses,MerchantStats")]
    [InlineData("notify", "",
        "azure-webjobs-hosts:storageBlobDataOwner,azure-webjobs-secrets:storageBlobDataOwner",
        "storageQueueDataMessageSender", "webhook-deliveries",
        "Merchants,PaymentRequests,PaymentRequestStatus,OptOuts,DeliveryReferences,Webhooks,Batches,BatchLines,BatchFunnels,MerchantStats")]
    [InlineData("console", "storageBlobDelegator", "batch-uploads:storageBlobDataContributor", "storageQueueDataMessageSender", "batch-process,webhook-deliveries",
        "Merchants,PaymentRequests,PaymentRequestIndex,PaymentRequestStatus,PaymentRequestClaims,PaymentLinks,Schedule,Payments,Batches,BatchLines,BatchFunnels,Webhooks,OptOuts,DeliveryReferences,MessageCounts,Staff,ConsoleKeys,ConsoleSessions,MerchantStats,AuditLog")]
    public void Each_apps_storage_roles_are_scoped_to_the_containers_queues_and_tables_it_uses(string app, string accountRoles, string containers,
        string queueRole, string queues, string tables)
    {
        var (deployment, template) = Arm.Module($"{app}/{app}-storage-access");
        ArmTemplate.Parameter(deployment, "storageAccountName").GetString().ShouldBe("[parameters('storageAccountName')]");
        ArmTemplate.Parameter(deployment, "accountRoleIds").EnumerateArray().Select(r => RoleName(r.GetString()!))
            .ShouldBe(accountRoles.Split(',', StringSplitOptions.RemoveEmptyEntries));
        ArmTemplate.Parameter(deployment, "containers").EnumerateArray()
            .Select(c => $"{c.GetProperty("name").GetString()}:{RoleName(c.GetProperty("roleId").GetString()!)}")
            .ShouldBe(containers.Split(',', StringSplitOptions.RemoveEmptyEntries), ignoreOrder: true);
        RoleName(ArmTemplate.Parameter(deployment, "queueRoleId").GetString()!).ShouldBe(queueRole);
        ArmTemplate.Parameter(deployment, "queues").EnumerateArray().Select(q => q.GetString()).ShouldBe(queues.Split(','), ignoreOrder: true);
        ArmTemplate.Parameter(deployment, "tables").EnumerateArray().Select(t => t.GetString()).ShouldBe(tables.Split(','), ignoreOrder: true);
        tables.Split(',').ShouldBeSubsetOf(PayByLink.Adapters.Storage.StorageNames.Tables);

        // Each assignment is on one container, queue or table; only the account roles' on the account.
        var scopes = ArmTemplate.ResourcesIn(template).Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
            .ToDictionary(r => r.GetProperty("scope").GetString()!, r => r.GetProperty("copy").GetProperty("count").GetString()!);
        scopes.Count.ShouldBe(4);
        scopes.Single(s => s.Key.Contains("'Microsoft.Storage/storageAccounts'", StringComparison.Ordinal)).Value.ShouldContain("accountRoleIds");
        scopes.Single(s => s.Key.Contains("blobServices/containers", StringComparison.Ordinal)).Key.ShouldContain("parameters('containers')[copyIndex()].name");
        scopes.Single(s => s.Key.Contains("queueServices/queues", StringComparison.Ordinal)).Key.ShouldContain("parameters('queues')[copyIndex()]");
        scopes.Single(s => s.Key.Contains("tableServices/tables", StringComparison.Ordinal)).Key.ShouldContain("parameters('tables')[copyIndex()]");
    }

    [Fact]
    public void Deployment_packages_are_in_an_account_apart_from_the_data_and_each_app_may_write_its_own_alone()
    {
        var deploymentAccount = Arm.Module("deployment-storage").Deployment;
        ArmTemplate.Parameter(deploymentAccount, "containers").EnumerateArray().Select(c => c.GetString())
            .ShouldBe(["deploy-api", "deploy-batch", "deploy-notify"]);
        ArmTemplate.Parameter(deploymentAccount, "name").GetString().ShouldNotBe(ArmTemplate.Parameter(Arm.Module("storage").Deployment, "name").GetString());
        ArmTemplate.Parameter(Arm.Module("storage").Deployment, "containers").EnumerateArray().Select(c => c.GetString())
            .ShouldNotContain(c => c!.StartsWith("deploy-", StringComparison.Ordinal));

        foreach (var app in Apps)
        {
            ArmTemplate.Parameter(Arm.Module(app).Deployment, "deploymentStorageAccountName").GetString()!.ShouldContain("deployment-storage");
            var (access, _) = Arm.Module($"{app}/{app}-deployment-access");
            ArmTemplate.Parameter(access, "storageAccountName").GetString().ShouldBe("[parameters('deploymentStorageAccountName')]");
            ArmTemplate.Parameter(access, "containers").EnumerateArray()
                .Select(c => $"{c.GetProperty("name").GetString()}:{RoleName(c.GetProperty("roleId").GetString()!)}")
                .ShouldBe([$"deploy-{app}:storageBlobDataContributor"]);
            access.GetProperty("properties").GetProperty("parameters").TryGetProperty("accountRoleIds", out _)
                .ShouldBeFalse($"{app} has no role on the deployment account as a whole");
            ArmTemplate.Parameter(Arm.Module($"{app}/{app}-app").Deployment, "deploymentStorageAccountName").GetString()
                .ShouldBe("[parameters('deploymentStorageAccountName')]");
        }
    }

    [Fact]
    public void The_deploying_user_may_administer_tables_and_write_the_vault_secrets_and_nothing_more()
    {
        var (deployment, template) = Arm.Module("administrator-access");
        deployment.GetProperty("condition").GetString()!.ShouldContain("principalId");
        var granted = ArmTemplate.ResourcesIn(template).Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
            .Select(r => RoleName(Props(r).GetProperty("roleDefinitionId").GetString()!))
            .Concat(ArmTemplate.Parameter(Arm.Module("administrator-access/administrator-storage").Deployment, "roleIds").EnumerateArray()
                .Select(r => RoleName(r.GetString()!)));

        granted.ShouldBe(["keyVaultSecretsOfficer", "storageTableDataContributor"], ignoreOrder: true);
    }

    [Fact]
    public void Role_names_are_the_built_in_role_ids()
    {
        var roles = Arm.Module("api").Template.GetProperty("variables").GetProperty("roles");
        roles.GetProperty("storageBlobDataOwner").GetString().ShouldBe("b7e6dc6d-f1e8-4753-8033-0f276bb0955b");
        roles.GetProperty("storageQueueDataContributor").GetString().ShouldBe("974c5e8b-45b9-4653-ba55-5f855dd0fb88");
        roles.GetProperty("storageQueueDataMessageSender").GetString().ShouldBe("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a");
        roles.GetProperty("storageTableDataContributor").GetString().ShouldBe("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3");
        roles.GetProperty("serviceBusDataSender").GetString().ShouldBe("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39");
        roles.GetProperty("serviceBusDataReceiver").GetString().ShouldBe("4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0");
        roles.GetProperty("monitoringMetricsPublisher").GetString().ShouldBe("3913510d-42f4-4e42-8a64-420c390055eb");
        roles.GetProperty("communicationAndEmailServiceOwner").GetString().ShouldBe("09976791-48a7-449e-bb21-39d1a415f350");
        roles.GetProperty("keyVaultSecretsUser").GetString().ShouldBe("4633458b-17de-408a-b874-0445c86b69e6");
        roles.GetProperty("keyVaultSecretsOfficer").GetString().ShouldBe("b86a8fe4-44ce-4948-aee5-eccb2c155cd7");
    }

    [Fact]
    public void No_app_setting_holds_a_key_or_a_connection_string()
    {
        var text = Arm.Root.GetRawText();
        text.ShouldNotContain("listKeys(");
        text.ShouldNotContain("listConnectionStrings(");
        text.ShouldNotContain("AccountKey=");
        text.ShouldNotContain("SharedAccessKey");
        foreach (var app in Apps)
        {
            Settings(app).Where(s => s.Replace("_", "").Contains("ConnectionString", StringComparison.OrdinalIgnoreCase))
                .ShouldBe(["APPLICATIONINSIGHTS_CONNECTION_STRING"], app);
            // A secret is only ever a Key Vault reference, resolved by the app's identity.
            SettingEntries(app).Where(s => Regex.IsMatch(s.Name, "(Key|Secret)$")).ShouldAllBe(s => s.Value.Contains("@Microsoft.KeyVault("));
            Settings(app).ShouldContain("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
            Settings(app).ShouldContain("AzureWebJobsStorage__accountName");
            Settings(app).ShouldContain("PayByLinkStorage__accountName");
            Settings(app).ShouldContain("PayByLinkServiceBus__fullyQualifiedNamespace");
            Settings(app).ShouldNotContain("AzureWebJobsStorage");
            Settings(app).ShouldNotContain("PayByLinkStorage");
        }
    }

    [Fact]
    public void The_settings_the_code_reads_are_the_ones_the_bicep_sets()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(ArmTemplate.RepositoryRoot, "local.settings.sample.json"))).RootElement
            .GetProperty("Values").EnumerateObject().Select(p => p.Name)
            // Flex Consumption names the worker runtime in functionAppConfig, not in a setting.
            .Where(n => n != "FUNCTIONS_WORKER_RUNTIME")
            // Locally a connection string; in Azure the account, reached with the app's identity.
            .Select(n => n is "AzureWebJobsStorage" or "PayByLinkStorage" ? n + "__accountName" : n)
            .ToList();
        var set = Apps.SelectMany(Settings).ToHashSet();

        sample.Where(n => !set.Contains(n)).ShouldBeEmpty();
        foreach (var app in Apps)
        {
            Settings(app).ShouldContain("PayByLink__PublicBaseUrl");
            SettingEntries(app).Single(s => s.Name == "Webhooks__LocalRuntime").Value.Trim('\'').ShouldBe("false", $"{app} must keep webhooks off private addresses");
            SettingEntries(app).Single(s => s.Name == "PAYBYLINK_ENVIRONMENT").Value.Trim('\'').ShouldBe("Azure", $"{app} must refuse the developer-only parts");
        }

        Settings("notify").ShouldContain("Acs__Endpoint");
        Settings("notify").ShouldContain("Delivery__MaxDeliveryCount");
    }

    [Fact]
    public void The_parameters_file_gives_every_required_parameter_from_the_azd_environment_but_the_one_azd_asks_for()
    {
        var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(ArmTemplate.InfraFolder, "main.parameters.json"))).RootElement.GetProperty("parameters");
        var required = Arm.Root.GetProperty("parameters").EnumerateObject().Where(p => !p.Value.TryGetProperty("defaultValue", out _))
            .Select(p => p.Name).Where(p => p != "smsSender").ToList();

        required.ShouldBe(["environmentName", "location", "secretsEncryptionKey", "lookupKey"], ignoreOrder: true);
        parameters.TryGetProperty("smsSender", out _).ShouldBeFalse("azd asks for a required parameter the file does not give, and keeps the answer");
        foreach (var name in required)
        {
            parameters.TryGetProperty(name, out var given).ShouldBeTrue(name);
            // From the azd environment, or made once by azd and kept in the vault.
            given.GetProperty("value").GetString()!.ShouldMatch(@"^(\$\{AZURE_|\$\(secretOrRandomPassword \$\{AZURE_KEY_VAULT_NAME\} )");
        }

    }

    [Fact]
    public void The_deployment_outputs_the_api_base_url()
    {
        var value = Arm.Root.GetProperty("outputs").GetProperty("API_BASE_URL").GetProperty("value").GetString()!;
        value.ShouldStartWith("[format('{0}/api/v1', ");
        value.ShouldContain("'Microsoft.Resources/deployments', 'api')");
    }

    /// <summary>Every app setting an app gets: what main passes it, what its app module adds, and what the function-app module adds.</summary>
    private static IReadOnlyList<(string Name, string Value)> SettingEntries(string app)
    {
        var fromMain = ArmTemplate.ObjectEntries(ArmTemplate.Parameter(Arm.Module(app).Deployment, "appSettings"));
        var fromApp = ArmTemplate.ObjectEntries(ArmTemplate.Parameter(Arm.Module($"{app}/{app}-app").Deployment, "appSettings"));
        var config = ArmTemplate.ResourcesIn(Arm.Module($"{app}/{app}-app").Template)
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config");
        return fromMain.Concat(fromApp).Concat(ArmTemplate.ObjectEntries(Props(config))).ToList();
    }

    private static IReadOnlyList<string> Settings(string app) => SettingEntries(app).Select(s => s.Name).Distinct().ToList();

    private static string RoleName(string expression) => Regex.Match(expression, @"roles'\)\.(\w+)").Groups[1].Value is { Length: > 0 } name
        ? name
        : throw new InvalidOperationException($"Not a named role: {expression}");
}

using Microsoft.Extensions.Configuration;

namespace PayByLink.Adapters;

/// <summary>
/// Whether this process runs in Azure: <c>PAYBYLINK_ENVIRONMENT</c> is <c>Azure</c> (Bicep sets it on every app), or the
/// platform's <c>WEBSITE_INSTANCE_ID</c> is present. What is for a developer's machine only (the test gateway, the
/// developer's tools under <c>/dev</c>) refuses to run when either says so.
/// </summary>
public static class HostedInAzure
{
    public const string EnvironmentSetting = "PAYBYLINK_ENVIRONMENT";
    public const string AzureEnvironment = "Azure";

    /// <summary>Set by the platform on App Service and Functions instances (not always on Flex Consumption).</summary>
    public const string InstanceSetting = "WEBSITE_INSTANCE_ID";

    public static bool Is(IConfiguration configuration) =>
        string.Equals(configuration[EnvironmentSetting]?.Trim(), AzureEnvironment, StringComparison.OrdinalIgnoreCase) ||
        !string.IsNullOrEmpty(configuration[InstanceSetting]);
}

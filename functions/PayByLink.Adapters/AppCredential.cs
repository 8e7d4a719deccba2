using Azure.Core;
using Azure.Identity;

namespace PayByLink.Adapters;

/// <summary>
/// The one credential every Azure client of an app signs in with: in Azure, the app's managed identity (found by
/// <see cref="DefaultAzureCredential"/>, which also takes a developer's sign-in). Made once per process, on first use,
/// so its tokens are cached once and shared by storage, Service Bus, Communication Services and telemetry.
/// </summary>
public static class AppCredential
{
    private static readonly Lazy<TokenCredential> Credential = new(() => new DefaultAzureCredential());

    public static TokenCredential Instance => Credential.Value;
}

using Microsoft.Extensions.Configuration;
using PayByLink.Http.Carrier;

namespace PayByLink.Integration.Tests.Carrier;

public class CarrierKeyTests
{
    private static CarrierEvents WithKeys(string? key, string? previous) => new(null!, null!,
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [CarrierEvents.KeySetting] = key,
            [CarrierEvents.PreviousKeySetting] = previous,
        }).Build(), TimeProvider.System);

    [Fact]
    public void While_a_key_rotates_the_new_and_the_previous_key_are_both_taken_and_nothing_else()
    {
        var events = WithKeys("new-key-0123456789", "old-key-0123456789");

        events.IsAuthorized("new-key-0123456789").ShouldBeTrue();
        events.IsAuthorized("old-key-0123456789").ShouldBeTrue();
        events.IsAuthorized("other-key-0123456789").ShouldBeFalse();
        events.IsAuthorized("").ShouldBeFalse();
        events.IsAuthorized(null).ShouldBeFalse();
        WithKeys("new-key-0123456789", null).IsAuthorized("old-key-0123456789").ShouldBeFalse("once the previous key is unset");
    }

    [Fact]
    public void A_key_vault_reference_the_platform_left_unresolved_is_never_a_key()
    {
        const string unresolved = "@Microsoft.KeyVault(VaultName=kv;SecretName=carrier-events-key)";

        WithKeys(unresolved, null).IsAuthorized(unresolved).ShouldBeFalse();
        WithKeys(null, null).IsAuthorized("anything").ShouldBeFalse();
    }
}

using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Merchants;

/// <summary>A merchant an operator names, which must exist.</summary>
public static class RequiredMerchant
{
    /// <exception cref="MerchantAdministrationException">No merchant has the id.</exception>
    public static async Task<Merchant> RequireAsync(this IMerchantStore merchants, string merchantId, CancellationToken cancellationToken) =>
        await merchants.FindAsync(merchantId, cancellationToken) ?? throw new MerchantAdministrationException($"No merchant with id '{merchantId}'.");
}

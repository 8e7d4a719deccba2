using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Delivery;

/// <summary>
/// Opt-outs: each merchant's own list (which also shows the STOPs that have held back its sends), and the STOPs
/// texted to a sender number, which hold for every merchant sending from it.
/// </summary>
public interface IOptOutStore
{
    Task<OptOut?> FindAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken);

    Task SaveAsync(string merchantId, OptOut optOut, CancellationToken cancellationToken);

    /// <summary>Removes the entry; false when there was none.</summary>
    Task<bool> DeleteAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the recipient of the merchant's entry, keeping the entry (found by a keyed hash, it still holds back
    /// every send to them) but leaving it off the list; false when there is none to forget.
    /// </summary>
    Task<bool> ForgetRecipientAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken);

    /// <summary>One page of the merchant's entries, by channel then recipient.</summary>
    /// <exception cref="InvalidContinuationTokenException">The token is not one this list gave.</exception>
    Task<OptOutPage> ListAsync(string merchantId, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>When <paramref name="mobile"/> texted STOP to <paramref name="senderNumber"/>, if it has not texted START since.</summary>
    Task<DateTimeOffset?> FindStopAsync(string senderNumber, string mobile, CancellationToken cancellationToken);

    Task SaveStopAsync(string senderNumber, string mobile, DateTimeOffset at, CancellationToken cancellationToken);

    Task DeleteStopAsync(string senderNumber, string mobile, CancellationToken cancellationToken);
}

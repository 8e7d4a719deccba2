using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Testing.InMemory;

/// <summary>Opt-outs and STOPs in memory.</summary>
public sealed class InMemoryOptOuts : IOptOutStore
{
    private readonly VersionedRows<(string MerchantId, Channel Channel, string Recipient), OptOut> _own = new();
    private readonly VersionedRows<(string Sender, string Mobile), DateTimeOffset> _stops = new();
    private readonly HashSet<(string MerchantId, Channel Channel, string Recipient)> _forgotten = [];

    public Task<OptOut?> FindAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken) =>
        Task.FromResult(_own.Find((merchantId, channel, recipient))?.Value);

    public Task SaveAsync(string merchantId, OptOut optOut, CancellationToken cancellationToken)
    {
        _own.Upsert((merchantId, optOut.Channel, optOut.Recipient), optOut);
        _forgotten.Remove((merchantId, optOut.Channel, optOut.Recipient));
        return Task.CompletedTask;
    }

    public Task<bool> ForgetRecipientAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken) =>
        Task.FromResult(_own.Find((merchantId, channel, recipient)) is not null && _forgotten.Add((merchantId, channel, recipient)));

    public Task<bool> DeleteAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken) =>
        Task.FromResult(_own.Remove((merchantId, channel, recipient)));

    public Task<OptOutPage> ListAsync(string merchantId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var skip = continuationToken is null ? 0 : int.TryParse(continuationToken, out var n) && n > 0 ? n : throw new InvalidContinuationTokenException();
        var all = _own.Where(k => k.MerchantId == merchantId && !_forgotten.Contains(k)).OrderBy(r => r.Key.Channel).ThenBy(r => r.Key.Recipient, StringComparer.Ordinal)
            .Select(r => r.Value).ToList();
        return Task.FromResult(new OptOutPage(all.Skip(skip).Take(pageSize).ToList(), skip + pageSize < all.Count ? (skip + pageSize).ToString() : null));
    }

    public Task<DateTimeOffset?> FindStopAsync(string senderNumber, string mobile, CancellationToken cancellationToken) =>
        Task.FromResult(_stops.Find((senderNumber, mobile))?.Value);

    public Task SaveStopAsync(string senderNumber, string mobile, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _stops.Upsert((senderNumber, mobile), at);
        return Task.CompletedTask;
    }

    public Task DeleteStopAsync(string senderNumber, string mobile, CancellationToken cancellationToken)
    {
        _stops.Remove((senderNumber, mobile));
        return Task.CompletedTask;
    }
}

namespace PayByLink.Core.Delivery;

/// <summary>Email operation ids and the sends they belong to, written before the provider is called.</summary>
public interface IDeliveryReferences
{
    Task SaveAsync(string reference, SendReference send, CancellationToken cancellationToken);

    Task<SendReference?> FindAsync(string reference, CancellationToken cancellationToken);
}

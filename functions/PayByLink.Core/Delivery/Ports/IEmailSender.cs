namespace PayByLink.Core.Delivery;

/// <summary>A provider that delivers email. <see cref="EmailToSend.OperationId"/> is its idempotency key.</summary>
public interface IEmailSender
{
    Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken);
}

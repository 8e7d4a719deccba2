namespace PayByLink.Core.Delivery;

/// <summary>A provider that delivers SMS, from one sender number (<see cref="From"/>), which customers reply to.</summary>
public interface ISmsSender
{
    string From { get; }

    Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken);
}

using System.Collections.Concurrent;
using PayByLink.Core.Delivery;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>An SMS and email provider that takes every message at once and records whom it went to, and when.</summary>
public sealed class RecordingProvider : ISmsSender, IEmailSender
{
    public ConcurrentBag<(string To, DateTimeOffset At)> Sent { get; } = [];

    public string From => "+447700900000";

    public Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken)
    {
        Sent.Add((sms.To, DateTimeOffset.UtcNow));
        return Task.FromResult(SendOutcome.Sent("sms-" + sms.SendId));
    }

    public Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken)
    {
        Sent.Add((email.To, DateTimeOffset.UtcNow));
        return Task.FromResult(SendOutcome.Sent("email-" + email.SendId));
    }
}

namespace PayByLink.Core.Delivery;

/// <summary>
/// An email to send. <see cref="OperationId"/> is the provider's idempotency key and comes back on its delivery
/// report; <see cref="UnsubscribeUrl"/> goes in its <c>List-Unsubscribe</c> header (RFC 8058 one-click).
/// </summary>
public sealed record EmailToSend(string SendId, string To, string DisplayName, EmailContent Content, string OperationId, Uri UnsubscribeUrl)
{
    /// <summary>The headers every email carries: one-click unsubscribe (RFC 2369 and RFC 8058).</summary>
    public IReadOnlyDictionary<string, string> Headers => new Dictionary<string, string>
    {
        ["List-Unsubscribe"] = $"<{UnsubscribeUrl.AbsoluteUri}>",
        ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
    };
}

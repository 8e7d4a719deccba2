using PayByLink.Core.Domain;

namespace PayByLink.Core.Delivery;

/// <summary>Who asked for a recipient to get nothing more.</summary>
public enum OptOutSource
{
    /// <summary>The merchant put the recipient on its own suppression list (and may take it off again).</summary>
    Merchant,

    /// <summary>The customer used an email's one-click unsubscribe.</summary>
    Unsubscribe,

    /// <summary>The customer texted STOP to the number the merchant's SMS come from (START lifts it).</summary>
    Stop,
}

/// <summary>
/// A recipient (an E.164 mobile number or an email address) who gets no more messages on its channel; for a STOP, the
/// sender number it was texted to.
/// </summary>
public sealed record OptOut(Channel Channel, string Recipient, OptOutSource Source, DateTimeOffset CreatedAt, string? SenderNumber = null)
{
    /// <summary>Why a send to this recipient is held back, in words for the send's record.</summary>
    public string Reason => Source switch
    {
        OptOutSource.Stop => "The customer texted STOP to the sender number.",
        OptOutSource.Unsubscribe => "The customer unsubscribed from the merchant's emails.",
        _ => "The recipient is on the merchant's suppression list.",
    };
}

/// <summary>One page of a merchant's opt-outs, with the token of the next page (null on the last).</summary>
public sealed record OptOutPage(IReadOnlyList<OptOut> Items, string? ContinuationToken);

namespace PayByLink.Core.Delivery;

public enum SendOutcomeKind
{
    Sent,
    Transient,

    /// <summary>The provider refused the send for its rate (429): try again after <see cref="SendOutcome.RetryAfter"/>, no attempt spent.</summary>
    Throttled,
    Permanent,
}

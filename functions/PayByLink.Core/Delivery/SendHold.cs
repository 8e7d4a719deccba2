namespace PayByLink.Core.Delivery;

/// <summary>How long a send that is <see cref="DeliveryStatus.Sending"/> is left alone, and whether its sender left it mid-call.</summary>
public sealed record SendHold(TimeSpan For, bool LeftMidCall);

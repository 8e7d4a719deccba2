namespace PayByLink.Core.Delivery;

/// <summary>
/// What a carrier said became of a message: delivered or not, in its own words (<see cref="CarrierStatus"/>, such as
/// <c>Delivered</c>, <c>Failed</c> or <c>Bounced</c>, and <see cref="Detail"/>), and when.
/// </summary>
public sealed record DeliveryReceipt(bool Delivered, string CarrierStatus, string? Detail, DateTimeOffset At);

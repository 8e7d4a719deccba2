namespace PayByLink.Core.Delivery;

/// <summary>
/// The number texts are sent from, for the apps that look up STOPs without sending (a batch's review): customers
/// text STOP to it. Null where none is set, when only the merchant's own list is looked at.
/// </summary>
public sealed record SmsSenderNumber(string? Value);

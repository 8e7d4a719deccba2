namespace PayByLink.Core.Delivery;

/// <summary>A recipient to add to a merchant's suppression list: a mobile number or an email.</summary>
public sealed record OptOutInput(string? MobileNumber, string? Email);

namespace PayByLink.Core.Erasure;

/// <summary>Whose personal data to erase: a mobile number or an email, as the merchant knows it.</summary>
public sealed record ErasureInput(string? MobileNumber, string? Email);

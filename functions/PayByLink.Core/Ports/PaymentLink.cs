namespace PayByLink.Core.Ports;

public sealed record PaymentLink(string ShortCode, string PaymentToken, string MerchantId, string RequestId);

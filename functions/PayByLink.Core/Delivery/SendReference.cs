namespace PayByLink.Core.Delivery;

/// <summary>A send as a carrier's report names it: enough to find its record.</summary>
public sealed record SendReference(string MerchantId, string RequestId, string SendId);

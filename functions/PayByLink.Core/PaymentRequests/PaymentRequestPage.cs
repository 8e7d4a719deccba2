namespace PayByLink.Core.PaymentRequests;

public sealed record PaymentRequestPage(IReadOnlyList<PaymentRequestSummary> Items, string? ContinuationToken);

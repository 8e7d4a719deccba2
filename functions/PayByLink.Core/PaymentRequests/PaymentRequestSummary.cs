using PayByLink.Core.Domain;

namespace PayByLink.Core.PaymentRequests;

public sealed record PaymentRequestSummary(
    string RequestId,
    string ClientTransactionRef,
    PaymentRequestStatus Status,
    decimal Amount,
    string Currency,
    string AccountReference,
    string CustomerName,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

using PayByLink.Core.Domain;

namespace PayByLink.Local;

/// <summary>A delivery report the outbox owes for a message it took, due a second after it.</summary>
public sealed record DueReceipt(string Partition, string MessageRow, string ReceiptRow, Channel Channel, string Reference, string Recipient,
    string CarrierStatus, string? Detail, DateTimeOffset DueAt);

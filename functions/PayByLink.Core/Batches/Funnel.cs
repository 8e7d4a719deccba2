namespace PayByLink.Core.Batches;

/// <summary>
/// How far a batch's requests got: sent (the batch's own count), delivered and undeliverable (a carrier's receipt on
/// any of the line's sends), opened, paid, and the amount paid by currency. Each line counts once in each.
/// </summary>
public sealed record Funnel(int Sent, int Delivered, int Undeliverable, int Opened, int Paid, IReadOnlyDictionary<string, decimal> AmountPaid);

namespace PayByLink.Core.Delivery;

/// <summary>A send's record moved on under a writer holding an earlier version of it.</summary>
public sealed class DeliveryChangedException(string sendId) : InvalidOperationException($"Delivery {sendId} changed while it was being recorded.");

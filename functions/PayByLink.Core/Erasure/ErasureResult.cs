namespace PayByLink.Core.Erasure;

/// <summary>What an erasure changed: how many requests, opt-outs and batch lines no longer hold the person's data.</summary>
public sealed record ErasureResult(int Requests, int OptOuts, int BatchLines, DateTimeOffset ErasedAt);

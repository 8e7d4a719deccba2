namespace PayByLink.Core.Batches;

/// <summary>
/// One chunk of a batch file for a chunk worker: where its first record starts in the file (byte offset and
/// physical line), so the worker reads only its own part.
/// </summary>
public sealed record BatchChunkWork(string MerchantId, string BatchId, int Chunk, long Offset, int Line);

namespace PayByLink.Core.Batches;

/// <summary>The running totals of one chunk, written in the same transaction as the lines and outcomes they count.</summary>
public sealed record ChunkTally(int NextRecord, int Accepted, int Rejected, int Sent, int DeliveryFailed)
{
    public static readonly ChunkTally Empty = new(0, 0, 0, 0, 0);

    public ChunkTally Plus(ChunkTally other) => new(NextRecord + other.NextRecord, Accepted + other.Accepted, Rejected + other.Rejected,
        Sent + other.Sent, DeliveryFailed + other.DeliveryFailed);

    /// <summary>
    /// Whether a chunk of <paramref name="size"/> records with this (summed) tally is settled: every record is a line
    /// and every accepted line's delivery has ended, so its counts never change again.
    /// </summary>
    public bool IsSettled(int size) => NextRecord >= size && Sent + DeliveryFailed >= Accepted;
}

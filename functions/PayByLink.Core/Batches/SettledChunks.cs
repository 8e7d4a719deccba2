namespace PayByLink.Core.Batches;

/// <summary>
/// The leading <see cref="Chunks"/> chunks of a batch, all settled, and their summed tallies: a batch's counts are
/// these plus the tallies of the chunks after them, so reading a batch reads only the chunks still moving.
/// </summary>
public sealed record SettledChunks(int Chunks, ChunkTally Totals)
{
    public static readonly SettledChunks None = new(0, ChunkTally.Empty);
}

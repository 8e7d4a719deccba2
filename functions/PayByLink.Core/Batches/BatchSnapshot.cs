namespace PayByLink.Core.Batches;

/// <summary>
/// A running batch's counts and funnel as its last completion check found them: what its page's live refresh shows,
/// read with the batch's progress in one request instead of every chunk's tally and every funnel share.
/// </summary>
public sealed record BatchSnapshot(BatchCounts Counts, FunnelTally Funnel, DateTimeOffset At);

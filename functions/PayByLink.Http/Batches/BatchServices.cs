using PayByLink.Core.Batches;

namespace PayByLink.Http.Batches;

/// <summary>What the batch handlers need, gathered once.</summary>
public sealed record BatchServices(
    StartBatch Start,
    ConfirmBatchUpload Confirm,
    ReadBatch Read,
    StopBatch Stop,
    BatchFailures Failures);

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;

namespace PayByLink.Http.Batches;

public sealed record StartBatchRequest([property: Required, Description("The file's name, for the merchant's own records.")] string? FileName);

public sealed record StartedBatchView(string BatchId, string FileName, string Status, string UploadUrl, DateTime UploadUrlExpiresAt, DateTime CreatedAt)
{
    public static StartedBatchView From(StartedBatch started) =>
        new(started.Batch.BatchId, started.Batch.FileName, started.Batch.Status.ToString(), started.UploadUrl.ToString(),
            started.Batch.UploadUrlExpiresAt.UtcDateTime, started.Batch.CreatedAt.UtcDateTime);
}

public sealed record BatchView(
    string BatchId,
    string FileName,
    string Status,
    DateTime CreatedAt,
    DateTime UploadUrlExpiresAt,
    DateTime? CompletedAt,
    string? FailureReason,
    int TotalRecords,
    int Accepted,
    int Sent,
    int Failed,
    int Pending)
{
    public static BatchView From(BatchState state) =>
        new(state.Batch.BatchId, state.Batch.FileName, state.Batch.Status.ToString(), state.Batch.CreatedAt.UtcDateTime,
            state.Batch.UploadUrlExpiresAt.UtcDateTime, state.Batch.CompletedAt?.UtcDateTime, state.Batch.FailureReason, state.Counts.TotalRecords, state.Counts.Accepted, state.Counts.Sent,
            state.Counts.Failed, state.Counts.Pending);
}

public sealed record BatchListView(IReadOnlyList<BatchView> Items, int Page, int PageSize, int TotalCount);

public sealed record FailedRecordView(int Line, string Record, IReadOnlyList<ReasonView> Reasons)
{
    public static FailedRecordView From(FailedBatchLine line) =>
        new(line.Line, line.Raw, line.Errors.Select(e => new ReasonView(e.Field, e.Code, e.Message)).ToList());
}

public sealed record ReasonView(string Field, string Code, string Message);

public sealed record FailedRecordsView(string BatchId, IAsyncEnumerable<FailedRecordView> Items);

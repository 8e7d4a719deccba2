using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;

namespace PayByLink.Http.Batches;

public sealed record StartBatchRequest(
    [property: Required, Description("The file's name, for the merchant's own records.")] string? FileName,
    [property: Description("Check the file when it lands and wait at AwaitingConfirmation, sending nothing, until it is confirmed. False when absent.")] bool? Review = null);

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
    int Pending,
    [property: Description("Whether the batch was started for review.")] bool Review = false,
    [property: Description("What the file will do if confirmed: once a batch started for review is checked.")] BatchReviewView? Checked = null,
    [property: Description("When sending was stopped by a cancel.")] DateTime? StoppedAt = null,
    [property: Description("For a stopped batch once finished: lines not sent because of the stop (in failed too).")] int? CancelledLines = null,
    [property: Description("How far the batch's requests got, each line counted once in each; on a single batch's GET only.")] FunnelView? Funnel = null)
{
    public static BatchView From(BatchState state) =>
        new(state.Batch.BatchId, state.Batch.FileName, state.Batch.Status.ToString(), state.Batch.CreatedAt.UtcDateTime,
            state.Batch.UploadUrlExpiresAt.UtcDateTime, state.Batch.CompletedAt?.UtcDateTime, state.Batch.FailureReason, state.Counts.TotalRecords, state.Counts.Accepted, state.Counts.Sent,
            state.Counts.Failed, state.Counts.Pending, state.Batch.Review, state.Batch.Checked is { } r ? BatchReviewView.From(r) : null,
            state.Batch.StoppedAt?.UtcDateTime, state.Batch.CancelledLines, state.Funnel is { } f ? FunnelView.From(f) : null);
}

public sealed record BatchReviewView(
    int TotalRecords,
    [property: Description("Lines that will be sent: valid, with at least one channel not held back by an opt-out.")] int WillSend,
    [property: Description("Texts that will be sent.")] int SmsMessages,
    [property: Description("Emails that will be sent.")] int EmailMessages,
    [property: Description("Lines that will fail (download them from failed-records).")] int FailingLines,
    [property: Description("The failing lines by reason, most first, with up to 50 line numbers each.")] IReadOnlyList<BatchReviewFailureView> Failures,
    [property: Description("Lines whose text the opt-out list holds back.")] int OptedOutSms,
    [property: Description("Lines whose email the opt-out list holds back.")] int OptedOutEmail,
    [property: Description("Valid lines with every channel held back by an opt-out: they will fail.")] int HeldBackLines,
    [property: Description("Set when the file would pass a daily cap: confirming then sends nothing.")] string? CapReached)
{
    public static BatchReviewView From(BatchReview r) => new(r.TotalRecords, r.WillSend, r.SmsMessages, r.EmailMessages, r.FailingLines,
        r.Failures.Select(f => new BatchReviewFailureView(f.Field, f.Code, f.Message, f.Count, f.Lines)).ToList(),
        r.OptedOutSms, r.OptedOutEmail, r.HeldBackLines, r.CapReached);
}

public sealed record BatchReviewFailureView(string Field, string Code, string Message, int Count, IReadOnlyList<int> Lines);

public sealed record FunnelView(
    [property: Description("Lines whose link went out (the batch's sent count).")] int Sent,
    [property: Description("Lines with a carrier's delivered receipt on any of their sends.")] int Delivered,
    [property: Description("Lines with a carrier's undeliverable receipt on any of their sends.")] int Undeliverable,
    [property: Description("Lines whose payment page the customer opened.")] int Opened,
    [property: Description("Lines paid in full.")] int Paid,
    [property: Description("The amount of the paid lines, by currency (a batch may mix currencies).")] IReadOnlyDictionary<string, decimal> AmountPaid)
{
    public static FunnelView From(Funnel f) => new(f.Sent, f.Delivered, f.Undeliverable, f.Opened, f.Paid,
        f.AmountPaid.ToDictionary(a => a.Key, a => Currency.WithMinorDigits(a.Value, a.Key)));
}

public sealed record BatchListView(IReadOnlyList<BatchView> Items, int Page, int PageSize, int TotalCount);

public sealed record FailedRecordView(int Line, string Record, IReadOnlyList<ReasonView> Reasons)
{
    public static FailedRecordView From(FailedBatchLine line) =>
        new(line.Line, line.Raw, line.Errors.Select(e => new ReasonView(e.Field, e.Code, e.Message)).ToList());
}

public sealed record ReasonView(string Field, string Code, string Message);

public sealed record FailedRecordsView(string BatchId, IAsyncEnumerable<FailedRecordView> Items);

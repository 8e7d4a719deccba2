using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;

namespace PayByLink.Core.Batches;

public sealed record StartedBatch(Batch Batch, Uri UploadUrl);

/// <summary>
/// Opens a batch: its record, and a URL the merchant can upload the file to for a short while, with the schedule's
/// check that expires the batch if the URL runs out unused. A batch opened for review is checked when its file lands,
/// and waits for a confirm before anything is sent.
/// </summary>
public sealed class StartBatch(IBatchStore batches, IBatchUploads uploads, IScheduleStore schedule, ITokenSource tokens, TimeProvider clock)
{
    public const int MaxFileNameLength = 200;

    public const string ExpirePurpose = "expire-upload";

    /// <summary>How long the upload URL works.</summary>
    public static readonly TimeSpan UploadWindow = TimeSpan.FromMinutes(30);

    public async Task<(StartedBatch? Started, IReadOnlyList<FieldError> Errors)> ExecuteAsync(Merchant merchant, string? fileName, bool review,
        CancellationToken cancellationToken)
    {
        var name = fileName?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return (null, [new FieldError("fileName", "required", "fileName is required.")]);
        }

        if (name.Length > MaxFileNameLength || name.Any(char.IsControl))
        {
            return (null, [new FieldError("fileName", "invalid_file_name",
                $"fileName must be at most {MaxFileNameLength} characters, without control characters.")]);
        }

        var now = clock.GetUtcNow();
        var batch = new Batch(merchant.Id, tokens.NewBatchId(now), name, BatchStatus.AwaitingUpload, now, now + UploadWindow, now) { Review = review };
        await schedule.AddAsync(new ScheduledEvent(merchant.Id, batch.BatchId, ExpirePurpose, ScheduledAction.ExpireBatch,
            batch.UploadUrlExpiresAt + BatchCompletion.ExpiryGrace), cancellationToken);
        await batches.AddAsync(batch, cancellationToken);
        var url = await uploads.CreateUploadUrlAsync(batch.BlobName, batch.UploadUrlExpiresAt, cancellationToken);
        return (new StartedBatch(batch, url), []);
    }
}

namespace PayByLink.Core.Batches;

public enum BatchStatus
{
    AwaitingUpload,
    Uploaded,

    /// <summary>Started for review and checked: nothing is sent until it is confirmed.</summary>
    AwaitingConfirmation,
    Processing,
    Completed,
    CompletedWithErrors,

    /// <summary>The file could not be read at all: not UTF-8, not CSV, no header, no records, or over the limits.</summary>
    Failed,

    /// <summary>Nothing was uploaded before the upload URL expired.</summary>
    Expired,

    /// <summary>Discarded before anything was sent (its file deleted).</summary>
    Cancelled,
}

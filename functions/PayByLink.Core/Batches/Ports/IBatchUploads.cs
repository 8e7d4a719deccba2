namespace PayByLink.Core.Batches;

/// <summary>The upload container: one write-only URL per batch, and the file as it landed.</summary>
public interface IBatchUploads
{
    /// <summary>
    /// A URL that can create this one blob, once, until <paramref name="expiresAt"/>, and nothing else: storage
    /// refuses a second upload to it, since the blob exists from the first upload on (see <see cref="RetireAsync"/>).
    /// </summary>
    Task<Uri> CreateUploadUrlAsync(string blobName, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Freezes the blob as it is now: its snapshot id and size, or null when nothing was uploaded.</summary>
    Task<(string Snapshot, long Size)?> SnapshotAsync(string blobName, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>The snapshot's bytes from <paramref name="offset"/> on.</summary>
    Task<Stream> OpenReadAsync(string blobName, string snapshot, long offset, CancellationToken cancellationToken);

    /// <summary>
    /// Once a file has been checked and handed to the chunk workers: empties the blob, keeping its name taken so its
    /// upload URL can never write it again, and deletes its snapshots except <paramref name="keepSnapshot"/> (the one
    /// the workers read; null once every record is a line, when the lines keep what is needed). Safe to repeat;
    /// whatever was written to the name meanwhile is emptied unread.
    /// </summary>
    Task RetireAsync(string blobName, string? keepSnapshot, CancellationToken cancellationToken);

    /// <summary>Whether the blob is a retired file's empty stand-in, not an upload.</summary>
    static bool IsRetired(IDictionary<string, string> metadata) => metadata.ContainsKey(RetiredMetadata);

    const string RetiredMetadata = "retired";
}

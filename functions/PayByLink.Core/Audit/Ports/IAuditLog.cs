namespace PayByLink.Core.Audit;

public interface IAuditLog
{
    Task AddAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The merchant's entries from <paramref name="from"/> up to (not including) <paramref name="to"/>, newest first.</summary>
    IAsyncEnumerable<AuditEntry> ListAsync(string merchantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

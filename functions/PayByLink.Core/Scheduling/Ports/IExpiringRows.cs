namespace PayByLink.Core.Scheduling;

/// <summary>Rows that are worth nothing after a while (counts of windows and days gone by), removed by the timer once an hour.</summary>
public interface IExpiringRows
{
    /// <summary>Removes the rows past their use at <paramref name="now"/>; how many.</summary>
    Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

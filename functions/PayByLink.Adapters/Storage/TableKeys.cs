using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>Turns values into Table Storage key parts: no '/', '\', '#', '?', control characters or '|' separators.</summary>
internal static class TableKeys
{
    public static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>Newest first: ticks counted down from the end of time, fixed width so they sort as text.</summary>
    public static string NewestFirst(DateTimeOffset time) =>
        (DateTime.MaxValue.Ticks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Oldest first: ticks, fixed width so they sort as text.</summary>
    public static string OldestFirst(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>A continuation token for a list read in row key order within one partition: the last row key given.</summary>
    public static string RowToken(string lastRowKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastRowKey));

    /// <summary>The row key a <see cref="RowToken"/> carries.</summary>
    /// <exception cref="InvalidContinuationTokenException">It is not such a token.</exception>
    public static string ReadRowToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw new InvalidContinuationTokenException();
        }
    }

    /// <summary>
    /// One page of a partition's rows after <paramref name="continuationToken"/>'s row (matching <paramref name="rowFilter"/>
    /// when given), in row key order, and the token of the next page (null on the last).
    /// </summary>
    public static async Task<(IReadOnlyList<TableEntity> Rows, string? ContinuationToken)> PageAsync(TableClient table, string partition,
        string? rowFilter, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (continuationToken is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {ReadRowToken(continuationToken)}");
        }

        if (rowFilter is not null)
        {
            filter += " and " + rowFilter;
        }

        // One row past the page says whether there is a next page.
        var rows = new List<TableEntity>(pageSize + 1);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, Math.Min(1000, pageSize + 1), cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count > pageSize)
            {
                rows.RemoveAt(pageSize);
                return (rows, RowToken(rows[^1].RowKey));
            }
        }

        return (rows, null);
    }
}

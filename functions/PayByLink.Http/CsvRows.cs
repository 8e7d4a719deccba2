using PayByLink.Core.Batches;

namespace PayByLink.Http;

/// <summary>
/// One CSV row (RFC 4180) as every download writes it: quoted where a cell needs it, and formula-safe, so a spreadsheet
/// never runs what a customer's or a file's text holds.
/// </summary>
public static class CsvRows
{
    public static string Row(IEnumerable<string> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    private static string Cell(string value)
    {
        var cell = BatchFile.EscapeFormula(value);
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 || cell != cell.Trim()
            ? "\"" + cell.Replace("\"", "\"\"") + "\""
            : cell;
    }
}

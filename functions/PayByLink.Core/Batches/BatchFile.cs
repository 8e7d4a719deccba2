using System.Globalization;
using System.Text;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.Core.Batches;

/// <summary>
/// The batch file format: UTF-8 CSV (BOM allowed) whose header names the fields of a single create, in any order
/// and any case, and its limits. Turns a record into the same input a create call carries.
/// </summary>
public static class BatchFile
{
    public const long MaxBytes = 100L * 1024 * 1024;
    public const int MaxRecords = 1_000_000;
    public const int MaxColumns = 20;

    public const string ClientTransactionRef = "ClientTransactionRef";
    public const string Amount = "Amount";
    public const string Currency = "Currency";
    public const string AccountReference = "AccountReference";
    public const string Reason = "Reason";
    public const string Passphrase = "Passphrase";
    public const string Title = "Title";
    public const string FirstName = "FirstName";
    public const string LastName = "LastName";
    public const string MobileNumber = "MobileNumber";
    public const string Email = "Email";
    public const string Channels = "Channels";
    public const string ExpiresAt = "ExpiresAt";

    /// <summary>The column the failed-records export adds; ignored on upload so a fixed export can be sent again.</summary>
    public const string Error = "Error";

    public static readonly string[] Columns =
    [
        ClientTransactionRef, Amount, Currency, AccountReference, Reason, Passphrase, Title, FirstName, LastName,
        MobileNumber, Email, Channels, ExpiresAt,
    ];

    public static readonly string[] RequiredColumns = [ClientTransactionRef, Amount, AccountReference, FirstName, LastName];

    /// <summary>
    /// The file as text. Its bytes are checked as they are read (<see cref="Utf8CheckedStream"/>): invalid ones throw
    /// <see cref="InvalidUtf8Exception"/> with the physical line they are on.
    /// </summary>
    public static TextReader OpenText(Stream stream) =>
        new StreamReader(new Utf8CheckedStream(stream), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);

    /// <summary>Reads the header record: the column names as written, or why the file cannot be read.</summary>
    public static (BatchHeader? Header, string? Error) ReadHeader(CsvRecord? record)
    {
        if (record is null)
        {
            return (null, "The file is empty.");
        }

        if (record.IsMalformed)
        {
            return (null, $"The header row is not valid CSV: {record.ErrorMessage}");
        }

        if (record.Fields.Count > MaxColumns)
        {
            return (null, $"The header has {record.Fields.Count} columns; at most {MaxColumns} are allowed.");
        }

        var names = record.Fields.Select((f, i) => (i == 0 ? f.TrimStart('\uFEFF') : f).Trim()).ToArray();
        // Named by position, never by what they hold: a file without its header row would put a customer's details here.
        var unknown = names.Select((n, i) => (Name: n, Column: i + 1))
            .Where(c => !Columns.Contains(c.Name, StringComparer.OrdinalIgnoreCase) && !string.Equals(c.Name, Error, StringComparison.OrdinalIgnoreCase))
            .Select(c => c.Column).ToList();
        if (unknown.Count > 0)
        {
            return (null, $"Column(s) {string.Join(", ", unknown.Take(5))} of the first row are not known column names; the first row must " +
                          $"name the columns. Columns are {string.Join(", ", Columns)}.");
        }

        var repeated = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            return (null, $"Column(s) named more than once: {string.Join(", ", repeated)}.");
        }

        var missing = RequiredColumns.Where(c => !names.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
        {
            return (null, $"Required column(s) missing: {string.Join(", ", missing)}.");
        }

        if (!names.Contains(MobileNumber, StringComparer.OrdinalIgnoreCase) && !names.Contains(Email, StringComparer.OrdinalIgnoreCase))
        {
            return (null, "The header needs a MobileNumber or an Email column.");
        }

        return (new BatchHeader(names), null);
    }

    /// <summary>The record as a create input, or the reasons its fields cannot be read as one.</summary>
    public static (PaymentRequestInput? Input, IReadOnlyList<FieldError> Errors) ToInput(BatchHeader header, CsvRecord record)
    {
        if (record.IsMalformed)
        {
            return (null, [new FieldError("record", record.ErrorCode!, record.ErrorMessage!)]);
        }

        if (record.Fields.Count != header.Names.Count)
        {
            return (null, [new FieldError("record", "wrong_field_count",
                $"The record has {record.Fields.Count} fields; the header has {header.Names.Count}.")]);
        }

        var errors = new FieldErrors();
        string? Value(string column) => header.IndexOf(column) is var i and >= 0 && record.Fields[i] is { Length: > 0 } v ? Unescape(v) : null;

        decimal? amount = null;
        if (Value(Amount) is { } amountText)
        {
            if (decimal.TryParse(amountText.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                amount = parsed;
            }
            else
            {
                errors.Add("amount", "invalid_number", "amount must be a number such as 120.50.");
            }
        }

        DateTimeOffset? expiresAt = null;
        if (Value(ExpiresAt) is { } expiresText)
        {
            if (DateTimeOffset.TryParse(expiresText.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                expiresAt = parsed;
            }
            else
            {
                errors.Add("expiresAt", "invalid_date", "expiresAt must be an ISO 8601 date and time such as 2026-12-31T17:00:00Z.");
            }
        }

        if (errors.Any)
        {
            return (null, errors.All);
        }

        var input = new PaymentRequestInput
        {
            ClientTransactionRef = Value(ClientTransactionRef),
            Amount = amount,
            Currency = Value(Currency),
            AccountReference = Value(AccountReference),
            Reason = Value(Reason),
            Passphrase = Value(Passphrase),
            Customer = new CustomerInput
            {
                Title = Value(Title),
                FirstName = Value(FirstName),
                LastName = Value(LastName),
                MobileNumber = Value(MobileNumber),
                Email = Value(Email),
            },
            Channels = Value(Channels) is { } channels ? ChannelNames(channels) : null,
            ExpiresAt = expiresAt,
        };
        return (input, []);
    }

    /// <summary>
    /// The first messages a record asks for, as the daily caps count them: SMS when it has a mobile number, email when it
    /// has an address, each only if its Channels column (when given) names it. A line that turns out invalid sends
    /// nothing, so this is at most what the file will send.
    /// </summary>
    public static (bool Sms, bool Email) Messages(BatchHeader header, CsvRecord record)
    {
        if (record.IsMalformed)
        {
            return (false, false);
        }

        string? Value(string column) => header.IndexOf(column) is >= 0 and var i && i < record.Fields.Count &&
            !string.IsNullOrWhiteSpace(record.Fields[i]) ? record.Fields[i] : null;

        var (sms, email) = (Value(MobileNumber) is not null, Value(Email) is not null);
        if (Value(Channels) is { } named)
        {
            var listed = ChannelNames(named);
            sms &= listed.Contains("sms", StringComparer.OrdinalIgnoreCase);
            email &= listed.Contains("email", StringComparer.OrdinalIgnoreCase);
        }

        return (sms, email);
    }

    /// <summary>The channels a Channels cell names, separated by semicolons, bars, commas or spaces.</summary>
    private static string[] ChannelNames(string cell) =>
        cell.Split([';', '|', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Characters that make a spreadsheet run a cell as a formula when they lead it.</summary>
    public static bool LeadsFormula(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>A cell as the failed-records export writes it: a would-be formula gets a leading apostrophe.</summary>
    public static string EscapeFormula(string cell) => cell.Length > 0 && LeadsFormula(cell[0]) ? "'" + cell : cell;

    /// <summary>Undoes <see cref="EscapeFormula"/>, so an exported line uploads again as it was.</summary>
    public static string Unescape(string cell) => cell.Length > 1 && cell[0] == '\'' && LeadsFormula(cell[1]) ? cell[1..] : cell;

}

/// <summary>The header of a batch file: its column names in the order written.</summary>
public sealed record BatchHeader(IReadOnlyList<string> Names)
{
    public int IndexOf(string column)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}

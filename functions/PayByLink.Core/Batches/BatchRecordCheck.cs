using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.Core.Batches;

/// <summary>
/// The rules one record of a batch file meets before it becomes a request, in one place for the chunk workers and the
/// review: the file's columns, a single create's rules, and a reference not already used by an earlier line of the
/// same group of records.
/// </summary>
public sealed class BatchRecordCheck(BatchHeader header, Merchant merchant, DateTimeOffset now)
{
    private readonly Dictionary<string, int> _firstLineOfRef = new(StringComparer.Ordinal);

    /// <summary>The request the record asks for, or why it cannot be made.</summary>
    public (PaymentRequestContent? Content, IReadOnlyList<FieldError> Errors) Check(CsvRecord record)
    {
        var (input, errors) = BatchFile.ToInput(header, record);
        var validation = input is null ? null : PaymentRequestRules.Validate(input, merchant, now);
        if (validation?.Value is not { } content)
        {
            return (null, validation?.Errors ?? errors);
        }

        if (_firstLineOfRef.TryGetValue(content.ClientTransactionRef, out var firstLine))
        {
            return (null, [DuplicateOf(firstLine)]);
        }

        _firstLineOfRef[content.ClientTransactionRef] = record.Line;
        return (content, []);
    }

    public static FieldError DuplicateOf(int line) =>
        new("clientTransactionRef", "duplicate_in_file", $"Duplicate of line {line}.");
}

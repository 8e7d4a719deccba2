using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

/// <summary>One record of a batch file as processed: the record as uploaded and what became of it.</summary>
public sealed record BatchLine(int Record, int Line, BatchLineState State, string? RequestId, string Raw, IReadOnlyList<FieldError> Errors);

using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

/// <summary>A line that failed, with the record as uploaded and every reason.</summary>
public sealed record FailedBatchLine(int Line, string Raw, IReadOnlyList<FieldError> Errors);

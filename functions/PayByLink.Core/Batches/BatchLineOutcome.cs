using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

/// <summary>How the first delivery of a line's request ended.</summary>
public sealed record BatchLineOutcome(int Record, bool Sent, IReadOnlyList<FieldError> Errors);

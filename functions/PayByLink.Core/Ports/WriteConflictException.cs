namespace PayByLink.Core.Ports;

/// <summary>A record kept changing under every write of a <see cref="ConditionalWrite"/>.</summary>
public sealed class WriteConflictException(string subject, int attempts)
    : InvalidOperationException($"{subject} kept changing: not written after {attempts} attempts.");

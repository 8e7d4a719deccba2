namespace PayByLink.Core.Domain;

/// <summary>A value read from a store together with the version (ETag) a conditional write must match.</summary>
public sealed record Versioned<T>(T Value, string Version);

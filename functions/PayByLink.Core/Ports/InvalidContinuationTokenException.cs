namespace PayByLink.Core.Ports;

/// <summary>A list continuation token that was altered, or used with other filters than the page it came from.</summary>
public sealed class InvalidContinuationTokenException() : Exception("The continuation token is not valid for this query.");

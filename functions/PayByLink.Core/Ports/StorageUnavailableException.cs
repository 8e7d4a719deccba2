namespace PayByLink.Core.Ports;

/// <summary>
/// Storage refused, failed or did not answer within its deadline, after its retries: nothing is wrong with the
/// caller's request, and the same call may succeed once storage is back.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

namespace PayByLink.Core.Payments;

/// <summary>The payment provider did not answer in time, or is held off after failing again and again: nothing was charged.</summary>
public sealed class PaymentProviderUnavailableException(string provider, Exception inner)
    : Exception($"The payment provider {provider} is not answering.", inner);

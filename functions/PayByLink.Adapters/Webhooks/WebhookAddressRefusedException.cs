namespace PayByLink.Adapters.Webhooks;

/// <summary>A webhook host that resolves only to addresses webhooks may not be sent to.</summary>
public sealed class WebhookAddressRefusedException(string host)
    : Exception($"{host} resolves only to private, loopback or link-local addresses, which webhooks may not be sent to.");

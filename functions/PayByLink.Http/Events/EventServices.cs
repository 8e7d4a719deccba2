using PayByLink.Core.Batches;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Webhooks;

namespace PayByLink.Http.Events;

/// <summary>What the event and webhook handlers need, gathered once.</summary>
public sealed record EventServices(
    IEventLog Events,
    IPaymentRequestStore Requests,
    IBatchStore Batches,
    WebhookEndpoints Endpoints,
    IWebhookStore Store,
    PaymentLinks Links);

using System.Text.Json;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Webhooks;

namespace PayByLink.Http.Events;

/// <summary>Webhook bodies: the event as the timeline shows it, in the API's JSON.</summary>
public sealed class EventBodies(PaymentLinks links) : IEventBodies
{
    public byte[] Render(DomainEvent change) => JsonSerializer.SerializeToUtf8Bytes(EventView.From(change, links), ApiJson.Options);
}

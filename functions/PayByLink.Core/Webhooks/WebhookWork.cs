namespace PayByLink.Core.Webhooks;

/// <summary>Work for a delivery worker: bring one endpoint up to date with one request's or batch's events.</summary>
public sealed record WebhookWork(string MerchantId, string EndpointId, string SubjectId);

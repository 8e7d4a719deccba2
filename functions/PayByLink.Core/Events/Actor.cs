namespace PayByLink.Core.Events;

public enum ActorType
{
    /// <summary>A merchant's staff member, signed in to the console.</summary>
    User,

    /// <summary>A caller of the API, by the id of the key it used.</summary>
    Key,

    /// <summary>The customer: opening their link, paying, texting STOP, unsubscribing.</summary>
    Customer,

    /// <summary>PayByLink itself: the schedule, the senders, the carrier's reports, the payment provider, an administrator's command.</summary>
    System,
}

/// <summary>Who made a change: recorded on its event, shown in the timeline and posted in webhooks.</summary>
public sealed record Actor(ActorType Type, string Id, string Name)
{
    public static readonly Actor Customer = new(ActorType.Customer, "customer", "The customer");

    public static readonly Actor Schedule = new(ActorType.System, "schedule", "The schedule");

    public static readonly Actor Sender = new(ActorType.System, "sender", "Delivery");

    public static readonly Actor Carrier = new(ActorType.System, "carrier", "The carrier's report");

    public static readonly Actor PaymentProvider = new(ActorType.System, "payment-provider", "The payment provider");

    public static readonly Actor Administrator = new(ActorType.System, "administrator", "A PayByLink administrator");

    /// <summary>A batch file's line: the batch that made the request.</summary>
    public static Actor Batch(string batchId) => new(ActorType.System, batchId, "Batch " + batchId);

    public static Actor ApiKey(string keyId) => new(ActorType.Key, keyId, "API key " + keyId);

    /// <summary>A console user, by the email they are known to the merchant by.</summary>
    public static Actor User(string email, string name) => new(ActorType.User, email, name);
}

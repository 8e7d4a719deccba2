namespace PayByLink.Core.Delivery;

public sealed record OptOutRemovalResult(OptOutRemoval Outcome, OptOut? OptOut);

public enum OptOutRemoval
{
    Removed,
    NotFound,

    /// <summary>The customer asked for it (STOP or unsubscribe): only the customer can lift it.</summary>
    NotAllowed,
}

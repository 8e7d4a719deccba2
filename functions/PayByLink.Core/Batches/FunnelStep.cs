namespace PayByLink.Core.Batches;

/// <summary>The steps a batch line's request can reach after its link is sent, each counted once per line.</summary>
public enum FunnelStep
{
    Delivered,
    Undeliverable,
    Opened,
    Paid,
}

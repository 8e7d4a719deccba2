namespace PayByLink.Core.Limits.Ports;

/// <summary>How many instances of this app are serving now: each takes an equal share of a key's request rate.</summary>
public interface ILiveInstances
{
    int Count { get; }
}

/// <summary>One instance: the local runtime, and tests.</summary>
public sealed class OneInstance : ILiveInstances
{
    public int Count => 1;
}

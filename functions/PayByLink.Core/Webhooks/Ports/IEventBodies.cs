namespace PayByLink.Core.Webhooks;

/// <summary>An event as its webhook body: the same JSON the timeline shows.</summary>
public interface IEventBodies
{
    byte[] Render(Events.DomainEvent change);
}

namespace PayByLink.Core.Events;

/// <summary>A feature that acts on changes: batch tallies, webhooks.</summary>
public interface IChangeConsumer
{
    Task OnChangeAsync(Change change, CancellationToken cancellationToken);
}

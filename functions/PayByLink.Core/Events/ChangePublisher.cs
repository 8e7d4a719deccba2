namespace PayByLink.Core.Events;

/// <summary>
/// Hands each change to every consumer, in turn. The consumers are found on first use: a consumer may itself make
/// changes (a batch's last line completes the batch), so they are not needed to build the publisher.
/// </summary>
public sealed class ChangePublisher(Func<IEnumerable<IChangeConsumer>> consumers)
{
    private readonly Lazy<IChangeConsumer[]> _consumers = new(() => consumers().ToArray());

    public async Task PublishAsync(Change change, CancellationToken cancellationToken)
    {
        foreach (var consumer in _consumers.Value)
        {
            await consumer.OnChangeAsync(change, cancellationToken);
        }
    }
}

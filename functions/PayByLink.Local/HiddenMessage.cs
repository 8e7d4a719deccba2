using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace PayByLink.Local;

/// <summary>
/// A queue message kept hidden while it is worked on: its visibility is renewed in the background (each renewal gives
/// it a new pop receipt), so it comes back only if its worker dies or gives it up. Disposing stops the renewals;
/// <see cref="Receipt"/> is then the receipt to delete or update it with.
/// </summary>
public sealed class HiddenMessage : IAsyncDisposable
{
    private readonly CancellationTokenSource _renewing;
    private readonly Task _renewal;
    private bool _stopped;

    public HiddenMessage(QueueClient queue, QueueMessage message, TimeSpan visibility, TimeProvider clock, CancellationToken cancellationToken)
    {
        Receipt = message.PopReceipt;
        _renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _renewal = RenewAsync(queue, message.MessageId, visibility, clock, _renewing.Token);
    }

    public string Receipt { get; private set; }

    private async Task RenewAsync(QueueClient queue, string messageId, TimeSpan visibility, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(visibility / 3, clock, cancellationToken);

                // Not cancelled once sent: an update the queue made but whose answer was dropped would leave the
                // message with a receipt nobody knows, and its delete would be refused.
                Receipt = (await queue.UpdateMessageAsync(messageId, Receipt, visibilityTimeout: visibility, cancellationToken: CancellationToken.None))
                    .Value.PopReceipt;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is Azure.RequestFailedException or PayByLink.Core.Ports.StorageUnavailableException)
        {
            // Storage away for a moment: the message comes back when its visibility ends, and its work is found done
            // or carried on from where it stood.
        }
    }

    /// <summary>Stops the renewals (again, harmlessly).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _renewing.CancelAsync();
        await _renewal;
        _renewing.Dispose();
    }
}

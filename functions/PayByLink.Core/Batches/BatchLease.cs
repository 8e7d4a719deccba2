using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

/// <summary>
/// One processor's hold on a batch: a short lease, renewed in the background while the work goes on (both passes
/// over the file), with every change to the batch row made through it, so renewals and progress never race on the
/// row's ETag. When a write finds the row changed (another processor took the batch over) or fails, the lease is
/// lost: <see cref="Token"/> is cancelled, so the work stops and writes nothing more. A processor that dies leaves
/// the batch to the next trigger within <see cref="Duration"/>; one that fails or is stopped releases it at once.
/// </summary>
public sealed class BatchLease : IAsyncDisposable
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    private readonly BatchChanges _batches;
    private readonly TimeProvider _clock;
    private readonly Func<Task> _keepWatch;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly Task _renewing;
    private Versioned<Batch> _current;

    /// <param name="keepWatch">Called now and about once a <see cref="Duration"/>: arranges a later trigger that
    /// resumes the batch should this processor die (it finds the batch held, or done, while all is well).</param>
    public BatchLease(BatchChanges batches, TimeProvider clock, Versioned<Batch> claimed, Func<Task> keepWatch, CancellationToken cancellationToken)
    {
        _batches = batches;
        _clock = clock;
        _keepWatch = keepWatch;
        _current = claimed;
        _lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _renewing = RenewAsync();
    }

    public Batch Batch => _current.Value;

    /// <summary>Cancelled when the lease is lost, or when the caller is stopped.</summary>
    public CancellationToken Token => _lost.Token;

    public bool IsLost { get; private set; }

    /// <summary>Why the lease was lost, when a write failed rather than finding the batch taken over.</summary>
    public Exception? Failure { get; private set; }

    public static DateTimeOffset Until(DateTimeOffset now) => now + Duration;

    /// <summary>Changes the batch row under the lease; false, with the lease lost, when the row had moved on.</summary>
    public async Task<bool> UpdateAsync(Func<Batch, Batch> change)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (IsLost)
            {
                return false;
            }

            var replaced = await _batches.TryReplaceAsync(_current, change(_current.Value) with { UpdatedAt = _clock.GetUtcNow() }, CancellationToken.None);
            if (replaced is null)
            {
                Lose(null);
                return false;
            }

            _current = replaced;
            return true;
        }
        catch (Exception e)
        {
            Lose(e); // whether it was written is unknown: stop, and let the batch's next holder carry on
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The last change: renewing stops first, so nothing writes the lease again after it.</summary>
    public async Task<bool> FinishAsync(Func<Batch, Batch> change)
    {
        await StopRenewingAsync();
        return await UpdateAsync(change);
    }

    /// <summary>Gives the batch up at once (after an error, or at shutdown) so the next trigger need not wait out the lease.</summary>
    public async Task ReleaseAsync()
    {
        await StopRenewingAsync();
        if (!IsLost && Batch.LeaseUntil is not null)
        {
            await UpdateAsync(b => b with { LeaseUntil = null });
        }
    }

    private async Task RenewAsync()
    {
        var watchedAt = _clock.GetUtcNow();
        try
        {
            await _keepWatch();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopRenewing.Token, _lost.Token);
            while (true)
            {
                await Task.Delay(RenewEvery, _clock, stop.Token);
                if (!await UpdateAsync(b => b with { LeaseUntil = Until(_clock.GetUtcNow()) }))
                {
                    return;
                }

                if (_clock.GetUtcNow() - watchedAt >= Duration)
                {
                    watchedAt = _clock.GetUtcNow();
                    await _keepWatch();
                }
            }
        }
        catch (OperationCanceledException) when (_stopRenewing.IsCancellationRequested || _lost.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Lose(e);
        }
    }

    private void Lose(Exception? failure)
    {
        IsLost = true;
        Failure ??= failure;
        _lost.Cancel();
    }

    private async Task StopRenewingAsync()
    {
        await _stopRenewing.CancelAsync();
        await _renewing;
    }

    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        _lost.Dispose();
        _stopRenewing.Dispose();
        _gate.Dispose();
    }
}

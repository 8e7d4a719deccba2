using Azure.Storage.Blobs.Models;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Local;

/// <summary>The local batch worker's clean-up of processed files, on the suite's Azurite, in a container of its own.</summary>
[Collection(SuiteCollection.Name)]
public class RetiredUploadTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_processed_file_is_kept_while_its_batch_still_reads_its_snapshot_and_deleted_after()
    {
        var container = suite.Storage.Blobs.GetBlobContainerClient("retired-" + Guid.NewGuid().ToString("N")[..12]);
        await container.CreateAsync();
        var blob = container.GetBlobClient("merchant/batch.csv");
        await blob.UploadAsync(BinaryData.FromString(""));
        var snapshot = (await blob.CreateSnapshotAsync()).Value.Snapshot;
        async Task<BlobItem> Listed()
        {
            await foreach (var item in container.GetBlobsAsync())
            {
                return item;
            }

            throw new InvalidOperationException("The file is gone.");
        }

        var spent = DateTimeOffset.UtcNow + BatchWorker.RetiredKeptFor + TimeSpan.FromMinutes(1);

        (await BatchWorker.DeleteIfSpentAsync(container, await Listed(), DateTimeOffset.UtcNow, CancellationToken.None))
            .ShouldBeFalse("its upload URL may still be alive");
        (await BatchWorker.DeleteIfSpentAsync(container, await Listed(), spent, CancellationToken.None))
            .ShouldBeFalse("its batch is still reading the snapshot");
        (await blob.ExistsAsync()).Value.ShouldBeTrue();

        await blob.WithSnapshot(snapshot).DeleteAsync();
        (await BatchWorker.DeleteIfSpentAsync(container, await Listed(), spent, CancellationToken.None)).ShouldBeTrue();
        (await blob.ExistsAsync()).Value.ShouldBeFalse();
        await container.DeleteAsync();
    }
}

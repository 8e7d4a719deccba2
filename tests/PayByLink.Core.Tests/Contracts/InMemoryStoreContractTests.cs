using PayByLink.Core.Scheduling;
using PayByLink.Core.Webhooks;
using PayByLink.Testing.Contracts;
using PayByLink.Testing.InMemory;

namespace PayByLink.Core.Tests.Contracts;

/// <summary>The in-memory stores pass the contracts the table stores pass (PayByLink.Integration.Tests runs those).</summary>
public sealed class InMemoryRequestStoreContractTests : RequestStoreContract
{
    protected override RequestStores Stores()
    {
        var requests = new InMemoryPaymentRequests();
        return new RequestStores(requests, requests, requests);
    }
}

public sealed class InMemoryScheduleStoreContractTests : ScheduleStoreContract
{
    protected override IScheduleStore Store() => new InMemorySchedule();
}

public sealed class InMemoryWebhookStoreContractTests : WebhookStoreContract
{
    protected override IWebhookStore Store() => new InMemoryWebhooks();
}

public sealed class InMemoryMessageCountsContractTests : MessageCountsContract
{
    protected override PayByLink.Core.Limits.Ports.IMessageCounts Store() => new InMemoryMessageCounts();
}

public sealed class InMemoryGuessCountsContractTests : GuessCountsContract
{
    protected override PayByLink.Core.Limits.Ports.IGuessCounts Store() => new InMemoryGuessCounts();
}

using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Delivery;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;
using PayByLink.Core.Webhooks;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Testing.Contracts;

namespace PayByLink.Integration.Tests.Adapters;

/// <summary>The table stores on Azurite pass the contracts the in-memory stores pass (PayByLink.Core.Tests runs those).</summary>
[Collection(SuiteCollection.Name)]
public sealed class TableRequestStoreContractTests(SuiteFixture suite) : RequestStoreContract
{
    protected override RequestStores Stores() => new(suite.Runtime.Services.GetRequiredService<IPaymentRequestStore>(),
        suite.Runtime.Services.GetRequiredService<IDeliveryStore>(), suite.Runtime.Services.GetRequiredService<IEventLog>());
}

[Collection(SuiteCollection.Name)]
public sealed class TableScheduleStoreContractTests(SuiteFixture suite) : ScheduleStoreContract
{
    protected override IScheduleStore Store() => suite.Runtime.Services.GetRequiredService<IScheduleStore>();
}

[Collection(SuiteCollection.Name)]
public sealed class TableWebhookStoreContractTests(SuiteFixture suite) : WebhookStoreContract
{
    protected override IWebhookStore Store() => suite.Runtime.Services.GetRequiredService<IWebhookStore>();
}

[Collection(SuiteCollection.Name)]
public sealed class TableMessageCountsContractTests(SuiteFixture suite) : MessageCountsContract
{
    protected override PayByLink.Core.Limits.Ports.IMessageCounts Store() =>
        suite.Runtime.Services.GetRequiredService<PayByLink.Core.Limits.Ports.IMessageCounts>();
}

[Collection(SuiteCollection.Name)]
public sealed class TableGuessCountsContractTests(SuiteFixture suite) : GuessCountsContract
{
    protected override PayByLink.Core.Limits.Ports.IGuessCounts Store() =>
        suite.Runtime.Services.GetRequiredService<PayByLink.Core.Limits.Ports.IGuessCounts>();
}

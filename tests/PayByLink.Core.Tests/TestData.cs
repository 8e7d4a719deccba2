using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.Core.Tests;

public static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static readonly Merchant AcmeEnergy = new("acme-energy", "Acme Energy", "GBP", 5000m);

    /// <summary>Who the tests' changes are made by: an API key.</summary>
    public static readonly Core.Events.Actor Caller = Core.Events.Actor.ApiKey("key-test");

    public static PaymentRequestInput ValidInput(string reference = "INV-1001") => new()
    {
        ClientTransactionRef = reference,
        Amount = 120.50m,
        AccountReference = "ACC-42",
        Reason = "Invoice 1001",
        Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith", MobileNumber = "07700 900123", Email = "jane@example.com" },
    };
}

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>The console's forms as a person fills them in.</summary>
public static class ConsoleForms
{
    public static Dictionary<string, string> NewRequest(string reference, bool send = false, string mobile = "07700 900123", string email = "jane@example.com") => new()
    {
        ["clientTransactionRef"] = reference,
        ["amount"] = "120.50",
        ["accountReference"] = "ACC-42",
        ["customer.firstName"] = "Jane",
        ["customer.lastName"] = "Smith",
        ["customer.mobileNumber"] = mobile,
        ["customer.email"] = email,
        ["channels.sms"] = "on",
        ["channels.email"] = "on",
        ["reason"] = "Invoice 1001",
        ["expiresAt"] = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd"),
        ["action"] = send ? "send" : "preview",
    };
}

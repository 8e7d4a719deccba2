using System.Globalization;
using Microsoft.AspNetCore.Http;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.StaffConsole;

/// <summary>
/// The list's filters as the console's query string names them (<c>?reference=&amp;name=&amp;mobile=&amp;email=&amp;amount=&amp;status=&amp;from=&amp;to=</c>,
/// dates in the merchant's zone, <c>mine=1</c> for the user's own links today), read by the API's own list rules.
/// With no filter, the list is every request, newest first.
/// </summary>
public sealed record RequestListForm(string? Reference, string? Name, string? Mobile, string? Email, string? Amount, string? Status, string? From,
    string? To, bool Mine, string? Page)
{
    public const int PageSize = 25;

    /// <summary>The API's parameter for each of the console's, so its errors are shown beside the console's fields.</summary>
    private static readonly Dictionary<string, string> ApiNames = new()
    {
        ["reference"] = "clientTransactionRef", ["name"] = "customerName", ["mobile"] = "mobileNumber", ["email"] = "email",
        ["amount"] = "amount", ["status"] = "status", ["from"] = "createdFrom", ["to"] = "createdTo", ["page"] = "continuationToken",
    };

    public static RequestListForm Read(IQueryCollection query)
    {
        string? Get(string name) => query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
        return new RequestListForm(Get("reference"), Get("name"), Get("mobile"), Get("email"), Get("amount"), Get("status"), Get("from"), Get("to"),
            Get("mine") == "1", Get("page"));
    }

    /// <summary>The store's filter, or the errors by the console's field names.</summary>
    public (PaymentRequestQuery.Parsed? Query, IReadOnlyList<FieldError> Errors) Query(Merchant merchant, ConsoleUser user, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var from = Day(From, "from", merchant, errors);
        var to = Day(To, "to", merchant, errors) is { } end ? end.AddDays(1).AddTicks(-1) : (DateTimeOffset?)null;
        if (Mine && from is null)
        {
            from = merchant.AtLocal(merchant.LocalDate(now), TimeOnly.MinValue);
        }

        var values = new Dictionary<string, string?>
        {
            ["clientTransactionRef"] = Reference, ["customerName"] = Name, ["mobileNumber"] = Mobile, ["email"] = Email, ["amount"] = Amount,
            ["status"] = Status, ["createdFrom"] = from?.ToString("O"), ["createdTo"] = to?.ToString("O"),
            ["pageSize"] = PageSize.ToString(CultureInfo.InvariantCulture), ["continuationToken"] = Page,
        };
        var parsed = PaymentRequestQuery.Parse(name => values.GetValueOrDefault(name), merchant);
        var apiErrors = parsed.Errors.Where(e => e.Code != "filter_required").ToList();
        errors.AddRange(apiErrors.Select(e => e with { Field = ApiNames.FirstOrDefault(n => n.Value == e.Field).Key ?? e.Field }));
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var query = parsed.Value ?? new PaymentRequestQuery.Parsed(new PaymentRequestFilter(), PageSize, Page);
        return (Mine ? query with { Filter = query.Filter with { CreatedBy = user.Email } } : query, []);
    }

    /// <summary>The query string of these filters, for the next page, the export and the links between them.</summary>
    public string QueryString(string? page = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("reference", Reference);
        Add("name", Name);
        Add("mobile", Mobile);
        Add("email", Email);
        Add("amount", Amount);
        Add("status", Status);
        Add("from", From);
        Add("to", To);
        Add("mine", Mine ? "1" : null);
        Add("page", page);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>The start of a day in the merchant's zone.</summary>
    private static DateTimeOffset? Day(string? text, string field, Merchant merchant, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors.Add(new FieldError(field, "invalid_date", "Enter a date as year-month-day, such as 2026-12-31."));
            return null;
        }

        return merchant.AtLocal(day, TimeOnly.MinValue);
    }
}

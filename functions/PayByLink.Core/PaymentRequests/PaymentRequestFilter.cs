using System.Globalization;
using PayByLink.Core.Domain;

namespace PayByLink.Core.PaymentRequests;

/// <summary>What a list call asks for. Text values are already normalised the way they are indexed.</summary>
public sealed record PaymentRequestFilter
{
    public string? CustomerName { get; init; }
    public decimal? Amount { get; init; }
    public string? AccountReference { get; init; }
    public string? ClientTransactionRef { get; init; }
    public string? MobileNumber { get; init; }
    /// <summary>Lower-cased: emails are found without regard to case.</summary>
    public string? Email { get; init; }
    public PaymentRequestStatus? Status { get; init; }
    public DateTimeOffset? CreatedFrom { get; init; }
    public DateTimeOffset? CreatedTo { get; init; }
    /// <summary>The console user who sent it (their actor id): an agent's "my links".</summary>
    public string? CreatedBy { get; init; }

    public bool IsEmpty => this == new PaymentRequestFilter();
}

/// <summary>Reads list-call query parameters into a filter, with a field error for each bad one.</summary>
public static class PaymentRequestQuery
{
    public sealed record Parsed(PaymentRequestFilter Filter, int PageSize, string? ContinuationToken);

    public static ValidationResult<Parsed> Parse(Func<string, string?> query, Merchant merchant)
    {
        var errors = new FieldErrors();
        var filter = new PaymentRequestFilter();

        if (Text(query, "customerName") is { } name)
        {
            filter = filter with { CustomerName = Customer.NameKey(name) };
        }

        if (Text(query, "amount") is { } amountText)
        {
            if (decimal.TryParse(amountText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
            {
                filter = filter with { Amount = amount };
            }
            else
            {
                errors.Add("amount", "invalid_amount", "amount must be a positive decimal number such as 120.50.");
            }
        }

        if (Text(query, "accountReference") is { } account)
        {
            filter = filter with { AccountReference = account };
        }

        if (Text(query, "clientTransactionRef") is { } reference)
        {
            filter = filter with { ClientTransactionRef = reference };
        }

        if (Text(query, "mobileNumber") is { } mobile)
        {
            if (ContactDetails.TryNormaliseMobile(mobile, merchant.PhoneRegion, out var e164, out var problem))
            {
                filter = filter with { MobileNumber = e164 };
            }
            else
            {
                errors.Add("mobileNumber", "invalid_mobile_number", problem!);
            }
        }

        if (Text(query, "email") is { } emailText)
        {
            if (ContactDetails.TryNormaliseEmail(emailText, out var email))
            {
                // Mailboxes are matched without regard to case, as mail systems do.
                filter = filter with { Email = email.ToLowerInvariant() };
            }
            else
            {
                errors.Add("email", "invalid_email", "email must be an email address such as jane@example.com.");
            }
        }

        if (Text(query, "status") is { } statusText)
        {
            if (StatusTransitions.TryParse(statusText, out var status))
            {
                filter = filter with { Status = status };
            }
            else
            {
                errors.Add("status", "invalid_status", $"status must be one of {string.Join(", ", Enum.GetNames<PaymentRequestStatus>())}.");
            }
        }

        filter = filter with
        {
            CreatedFrom = Time(query, "createdFrom", errors),
            CreatedTo = Time(query, "createdTo", errors),
        };
        if (filter.CreatedFrom > filter.CreatedTo)
        {
            errors.Add("createdTo", "invalid_range", "createdTo must not be before createdFrom.");
        }

        var pageSize = Paging.PageSize(Text(query, "pageSize"), errors);

        if (!errors.Any && filter.IsEmpty)
        {
            errors.Add("filter", "filter_required",
                "Give at least one filter: customerName, amount, accountReference, clientTransactionRef, mobileNumber, status, createdFrom or createdTo.");
        }

        return errors.Any
            ? ValidationResult<Parsed>.Invalid(errors.All)
            : ValidationResult<Parsed>.Valid(new Parsed(filter, pageSize, Text(query, "continuationToken")));
    }

    private static string? Text(Func<string, string?> query, string name)
    {
        var value = query(name)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static DateTimeOffset? Time(Func<string, string?> query, string name, FieldErrors errors)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors.Add(name, "invalid_time", $"{name} must be an ISO 8601 time such as 2026-01-31T00:00:00Z.");
        return null;
    }
}

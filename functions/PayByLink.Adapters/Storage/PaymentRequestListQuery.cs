using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// The plan of a list call: the one index it reads (the most selective filter it names), its table, and a table filter — that
/// index's key range, and the other filters but status, applied by the table service to that index's rows only (status
/// is checked on each row's request) — and its continuation tokens, which are bound to it.
/// </summary>
internal sealed record PaymentRequestListQuery(string Table, string Filter, string Fingerprint)
{
    /// <summary>
    /// A filter on a field that has an index of its own, defined once: the index and value it reads, the condition
    /// the table service checks on another index's rows, and the check of a request in memory.
    /// </summary>
    public sealed record Condition(string Index, string Value, FormattableString Row, Func<PaymentRequest, bool> Matches);

    /// <summary>The filter's indexed conditions, the most selective first.</summary>
    public static IEnumerable<Condition> Conditions(PaymentRequestFilter f)
    {
        if (f.MobileNumber is { } mobile)
        {
            yield return new("mobile", mobile, $"MobileNumber eq {mobile}", r => r.Content.Customer.MobileNumber == mobile);
        }

        if (f.Email is { } email)
        {
            yield return new("email", email, $"Email eq {email}", r => string.Equals(r.Content.Customer.Email, email, StringComparison.OrdinalIgnoreCase));
        }

        if (f.AccountReference is { } account)
        {
            yield return new("account", account, $"AccountReference eq {account}", r => r.Content.AccountReference == account);
        }

        if (f.CustomerName is { } name)
        {
            yield return new("name", name, $"(FirstNameKey eq {name} or LastNameKey eq {name} or FullNameKey eq {name})",
                r => r.Content.Customer.NameKeys().Contains(name));
        }

        if (f.Amount is { } amount)
        {
            var canonical = Amounts.Canonical(amount);
            yield return new("amount", canonical, $"Amount eq {canonical}", r => r.Content.Amount == amount);
        }
    }

    /// <summary>Whether a request passes every filter: the same conditions a list's query asks of its index rows.</summary>
    public static bool Matches(PaymentRequest request, PaymentRequestFilter f) =>
        Conditions(f).All(c => c.Matches(request)) &&
        (f.Status is not { } status || request.Status == status) &&
        (f.CreatedFrom is not { } from || request.CreatedAt >= from) &&
        (f.CreatedBy is not { } by || request.CreatedBy?.Id == by) &&
        (f.CreatedTo is not { } to || request.CreatedAt <= to);

    public static PaymentRequestListQuery For(string merchantId, PaymentRequestFilter f)
    {
        var conditions = Conditions(f).ToList();
        var (index, value) = conditions.FirstOrDefault() is { } first ? (first.Index, first.Value)
            : f.Status is { } status ? (PaymentRequestIndexRows.StatusIndex, status.ToString())
            : ("created", "");

        var filter = new StringBuilder();
        void And(FormattableString condition) =>
            filter.Append(filter.Length == 0 ? "" : " and ").Append(TableClient.CreateQueryFilter(condition));

        // Keys count time down, so the latest allowed time is the lower bound, of partitions and of rows alike.
        var prefix = PaymentRequestIndexRows.Prefix(merchantId, index, value);
        if (PaymentRequestIndexRows.BySecond(index))
        {
            And($"PartitionKey ge {prefix + (f.CreatedTo is { } to ? PaymentRequestIndexRows.Second(to) : "")}");
            And($"PartitionKey le {prefix + (f.CreatedFrom is { } from ? PaymentRequestIndexRows.Second(from) : "~")}");
        }
        else
        {
            And($"PartitionKey eq {prefix[..^1]}");
        }

        if (f.CreatedTo is { } createdTo)
        {
            And($"RowKey ge {TableKeys.NewestFirst(createdTo)}");
        }

        if (f.CreatedFrom is { } createdFrom)
        {
            And($"RowKey lt {TableKeys.NewestFirst(createdFrom) + "}"}");
        }

        foreach (var condition in conditions.Skip(1))
        {
            And(condition.Row);
        }

        if (f.CreatedBy is { } createdBy)
        {
            And($"CreatedBy eq {createdBy}");
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{merchantId}\n{filter}\n{f.Status}")), 0, 12);
        return new PaymentRequestListQuery(PaymentRequestIndexRows.Table(index), filter.ToString(), fingerprint);
    }

    /// <summary>An opaque token: the last row listed, bound to this query.</summary>
    public string Token((string Partition, string Row) after) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Fingerprint}\n{after.Partition}\n{after.Row}"));

    /// <summary>The last row listed before, from a token this query gave; null for the first page.</summary>
    /// <exception cref="InvalidContinuationTokenException">Not a token of this query.</exception>
    public (string Partition, string Row)? After(string? token)
    {
        if (token is null)
        {
            return null;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n');
            if (parts.Length == 3 && parts[0] == Fingerprint)
            {
                return (parts[1], parts[2]);
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidContinuationTokenException();
    }
}

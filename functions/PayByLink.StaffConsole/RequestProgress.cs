using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Payments;

namespace PayByLink.StaffConsole;

public enum StepState
{
    /// <summary>Not reached yet.</summary>
    Waiting,

    /// <summary>Under way now (a send being made, a receipt awaited).</summary>
    Current,

    Done,

    /// <summary>Went wrong: what to do is in the step's words.</summary>
    Problem,
}

/// <summary>One step of a request's progress: what, where it stands in words, and when (in the merchant's zone).</summary>
public sealed record ProgressStep(string Name, StepState State, string Text, string? At);

/// <summary>One line of a request's timeline: when, what happened, and who did it.</summary>
public sealed record TimelineLine(string At, string What, string Who);

/// <summary>
/// Where a request stands, as a line of steps an agent reads while the customer is on the phone: created; for each
/// channel sent, then delivered or undeliverable (the carrier's receipt); opened; and paid, or how it ended. A send that
/// failed, went undelivered or was held back by an opt-out says what to do next. Final once the request is closed.
/// </summary>
public sealed record RequestProgress(PaymentRequestStatus Status, bool IsFinal, string Summary, IReadOnlyList<ProgressStep> Steps,
    IReadOnlyList<TimelineLine> Timeline)
{
    public static RequestProgress From(Merchant merchant, PaymentRequest request, IReadOnlyList<DeliveryRecord> deliveries,
        IReadOnlyList<Payment> payments, IReadOnlyList<DomainEvent> events)
    {
        string Time(DateTimeOffset at) => merchant.LocalTime(at);
        DateTimeOffset? EventAt(string type) => events.LastOrDefault(e => e.Type == type)?.CreatedAt;

        var steps = new List<ProgressStep>
        {
            new("Created", StepState.Done, request.CreatedBy is { } by ? $"By {by.Name}" : "Created", Time(request.CreatedAt)),
        };
        foreach (var channel in request.Content.Channels)
        {
            var latest = deliveries.Where(d => d.Channel == channel).MaxBy(d => d.UpdatedAt);
            steps.AddRange(ChannelSteps(channel, latest, request.Status, Time));
        }

        var open = StatusTransitions.IsOpen(request.Status);
        var opened = EventAt(EventTypes.RequestOpened);
        steps.Add(opened is { } openedAt || request.Status is PaymentRequestStatus.Opened or PaymentRequestStatus.Paid
            ? new ProgressStep("Opened", StepState.Done, "The customer opened the payment page", opened is { } at ? Time(at) : null)
            : new ProgressStep("Opened", open ? StepState.Waiting : StepState.Waiting, open ? "Not opened yet" : "Never opened", null));
        steps.Add(Ending(request, payments, EventAt, Time));

        var timeline = events.Select(e => new TimelineLine(Time(e.CreatedAt), Describe(e.Type), e.Actor?.Name ?? "")).ToList();
        var summary = open ? $"{request.Status}: waiting for the customer" : $"{request.Status}: this request is closed, so this page no longer updates";
        return new RequestProgress(request.Status, !open, summary, steps, timeline);
    }

    private static IEnumerable<ProgressStep> ChannelSteps(Channel channel, DeliveryRecord? send, PaymentRequestStatus status,
        Func<DateTimeOffset, string> time)
    {
        var (sentName, deliveredName) = channel == Channel.Sms ? ("Text sent", "Text delivered") : ("Email sent", "Email delivered");
        var other = channel == Channel.Sms ? "email" : "text message";
        var check = channel == Channel.Sms ? "number" : "address";
        if (send is null)
        {
            yield return new(sentName, StatusTransitions.IsOpen(status) ? StepState.Current : StepState.Waiting,
                StatusTransitions.IsOpen(status) ? "Queued to send" : "Not sent", null);
            yield return new(deliveredName, StepState.Waiting, "Not delivered yet", null);
            yield break;
        }

        var to = send.Recipient is { } r ? $" to {r}" : "";
        switch (send.Status)
        {
            case DeliveryStatus.Sending or DeliveryStatus.Retrying:
                yield return new(sentName, StepState.Current,
                    send.Status == DeliveryStatus.Retrying ? $"Trying again{to}: {send.ErrorReason}" : $"Sending{to}", time(send.UpdatedAt));
                yield return new(deliveredName, StepState.Waiting, "Not delivered yet", null);
                yield break;
            case DeliveryStatus.Skipped when send.ErrorCode == DeliveryRecord.OptedOut:
                yield return new(sentName, StepState.Problem,
                    $"Not sent: the customer has opted out of your {(channel == Channel.Sms ? "text messages" : "emails")}{to}. " +
                    $"Send the link by {other} instead, or read it to them.", time(send.UpdatedAt));
                yield break;
            case DeliveryStatus.Skipped:
                yield return new(sentName, StepState.Waiting, "Not sent: the request had closed", time(send.UpdatedAt));
                yield break;
            case DeliveryStatus.Failed:
                yield return new(sentName, StepState.Problem,
                    $"Could not be sent{to}: {send.ErrorReason}. Check the {check} with the customer and resend, or send by {other}.",
                    time(send.UpdatedAt));
                yield break;
        }

        yield return new(sentName, StepState.Done, $"Sent{to}", time(send.UpdatedAt));
        yield return send.Status switch
        {
            DeliveryStatus.Delivered => new(deliveredName, StepState.Done, "The carrier's receipt says it arrived",
                send.Receipt is { } receipt ? time(receipt.At) : null),
            DeliveryStatus.Undeliverable => new(deliveredName, StepState.Problem,
                $"Undeliverable: the carrier could not deliver it{(send.Receipt?.Detail is { } detail ? $" ({detail})" : "")}. " +
                $"Check the {check} with the customer and resend to the right one, or send by {other}.",
                send.Receipt is { } failed ? time(failed.At) : null),
            _ => new(deliveredName, StepState.Current, channel == Channel.Sms ? "Waiting for the carrier's receipt" : "Waiting for the mail service's report", null),
        };
    }

    private static ProgressStep Ending(PaymentRequest request, IReadOnlyList<Payment> payments, Func<string, DateTimeOffset?> eventAt,
        Func<DateTimeOffset, string> time)
    {
        var currency = Currency.Find(request.Content.Currency);
        string? At(string type) => eventAt(type) is { } at ? time(at) : null;
        return request.Status switch
        {
            PaymentRequestStatus.Paid => new("Paid", StepState.Done,
                $"Paid {currency.Format(payments.Sum(p => p.Amount) is > 0 and var paid ? paid : request.Content.Amount)}",
                payments.Count > 0 ? time(payments.Max(p => p.PaidAt)) : At(EventTypes.RequestPaid)),
            PaymentRequestStatus.Cancelled => new("Cancelled", StepState.Problem, "Cancelled: the link no longer works", At(EventTypes.RequestCancelled)),
            PaymentRequestStatus.Expired => new("Expired", StepState.Problem, "Expired unpaid: send a new link if the customer still owes", At(EventTypes.RequestExpired)),
            PaymentRequestStatus.Failed => new("Failed", StepState.Problem, "Failed: no message could be sent. Check the contact details and send a new link", At(EventTypes.RequestFailed)),
            _ => new("Paid", StepState.Waiting, payments.Count > 0
                ? $"{payments.Count} instalment{(payments.Count == 1 ? "" : "s")} paid so far, {currency.Format(payments.Sum(p => p.Amount))}"
                : "Not paid yet", null),
        };
    }

    /// <summary>An event's type in words.</summary>
    public static string Describe(string type) => type switch
    {
        EventTypes.RequestCreated => "Created",
        EventTypes.RequestSent => "Sent",
        EventTypes.RequestSendFailed => "A send failed",
        EventTypes.RequestDelivered => "Delivered",
        EventTypes.RequestUndeliverable => "Undeliverable",
        EventTypes.RequestOpened => "Opened by the customer",
        EventTypes.RequestPaid => "Paid",
        EventTypes.RequestInstalmentPaid => "Instalment paid",
        EventTypes.RequestCancelled => "Cancelled",
        EventTypes.RequestExpired => "Expired",
        EventTypes.RequestFailed => "Failed",
        EventTypes.RequestPaymentRefused => "A payment was refused",
        EventTypes.RequestPaymentRefunded => "A late payment was refunded",
        EventTypes.RequestResent => "Sent again",
        EventTypes.RequestErased => "Personal data erased",
        _ => type,
    };
}

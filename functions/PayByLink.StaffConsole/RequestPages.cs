using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Staff;
using PayByLink.Http.PaymentRequests;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The payment request pages: the list with the API's filters and its CSV export (viewer), sending a link with a
/// preview of its messages (agent), and a request's page with its live progress, resend and cancel (agent). Every
/// change goes through the API's own use cases, with the signed-in user as its actor.
/// </summary>
public static class RequestPages
{
    public static RouteGroupBuilder MapRequestPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.Requests, List).Requires(StaffRole.Viewer);
        console.MapGet(ConsoleRoutes.RequestsCsv, Export).Requires(StaffRole.Viewer);
        console.MapGet(ConsoleRoutes.NewRequest, NewForm).Requires(StaffRole.Agent);
        console.MapPost(ConsoleRoutes.NewRequest, Send).Requires(StaffRole.Agent);
        console.MapGet(ConsoleRoutes.Request, Show).Requires(StaffRole.Viewer);
        console.MapGet(ConsoleRoutes.RequestProgress, Progress).Requires(StaffRole.Viewer);
        console.MapPost(ConsoleRoutes.ResendRequest, Resend).Requires(StaffRole.Agent);
        console.MapGet(ConsoleRoutes.CancelRequest, ConfirmCancel).Requires(StaffRole.Agent);
        console.MapPost(ConsoleRoutes.CancelRequest, Cancel).Requires(StaffRole.Agent);
        return console;
    }

    private static async Task<IResult> List(HttpContext http, PaymentRequestServices services, TimeProvider clock, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = RequestListForm.Read(http.Request.Query);
        var (query, errors) = form.Query(user.Merchant!, user, clock.GetUtcNow());
        PaymentRequestPage? page = null;
        if (query is not null)
        {
            try
            {
                page = await services.Requests.ListAsync(user.Merchant!.Id, query.Filter, query.PageSize, query.ContinuationToken, cancellationToken);
            }
            catch (InvalidContinuationTokenException e)
            {
                errors = [new FieldError("page", "invalid_continuation_token", e.Message)];
            }
        }

        return ConsolePages.Render<RequestListPage>(new { User = user, Form = form, Page = page, Errors = errors },
            errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static async Task<IResult> Export(HttpContext http, PaymentRequestServices services, TimeProvider clock, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = RequestListForm.Read(http.Request.Query);
        var (query, errors) = form.Query(user.Merchant!, user, clock.GetUtcNow());
        if (query is null)
        {
            return ConsolePages.Render<RequestListPage>(new { User = user, Form = form, Errors = errors }, StatusCodes.Status400BadRequest);
        }

        await http.RecordAsync(Core.Audit.AuditActions.Exported, "payment requests"); // which requests, not the filter's values: they may name a customer
        return new RequestListCsv(user.Merchant!, query.Filter, services.Requests, cancellationToken);
    }

    private static IResult NewForm(HttpContext http, TimeProvider clock)
    {
        var user = http.ConsoleUser();
        return ConsolePages.Render<NewRequestPage>(new { User = user, Form = NewRequestForm.Defaults(user.Merchant!, clock.GetUtcNow()) });
    }

    /// <summary>
    /// "Preview" shows what the customer would get (or the errors); "Send" creates the request through the API's use case
    /// and goes to its page. The same form sent twice finds the request the first made.
    /// </summary>
    private static async Task<IResult> Send(HttpContext http, PaymentRequestServices services, PreviewPaymentRequest preview,
        CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var merchant = user.Merchant!;
        var posted = await http.Request.ReadFormAsync(cancellationToken);
        var form = NewRequestForm.From(posted);
        var formErrors = new FieldErrors();
        var input = form.ToInput(merchant, formErrors);
        IResult Again(IReadOnlyList<FieldError> errors, MessagePreview? shown = null) => ConsolePages.Render<NewRequestPage>(
            new { User = user, Form = form, Errors = NewRequestForm.InFormOrder(errors), Preview = shown },
            errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);

        // A preview, or a form with errors of its own, is checked by the preview (the create's rules); a send by the create.
        if (formErrors.Any || posted["action"] != "send")
        {
            var previewed = preview.Execute(merchant, input);
            return formErrors.Any || previewed.Value is null
                ? Again([.. formErrors.All, .. previewed.Errors.Where(e => formErrors.All.All(f => f.Field != e.Field))])
                : Again([], previewed.Value);
        }

        var result = await services.Create.ExecuteAsync(merchant, input, user.Actor, cancellationToken);
        return result.Outcome switch
        {
            CreateOutcome.Created or CreateOutcome.AlreadyExists or CreateOutcome.InProgress =>
                Results.Redirect(ConsoleRoutes.RequestPage(result.Request?.RequestId ?? "") + (result.Outcome == CreateOutcome.Created ? "?sent=1" : "")),
            CreateOutcome.Conflict => Again([new FieldError("clientTransactionRef", "duplicate_client_transaction_ref",
                $"This reference is already used by another request ({result.Request!.RequestId}). Use a new reference.")]),
            CreateOutcome.DailyCapReached => Again([new FieldError("channels", "daily_cap_reached",
                $"Today's limit of {result.Cap!.Cap} {result.Cap.Channel.Name()} messages is reached. Try again after midnight, or use the other channel.")]),
            _ => Again(result.Errors),
        };
    }

    private static async Task<IResult> Show(HttpContext http, string requestId, string? sent, string? done, PaymentRequestServices services,
        IEventLog events, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        if (await ReadAsync(user.Merchant!, requestId, services, events, cancellationToken) is not var (request, progress))
        {
            return ConsolePages.NotFound(user);
        }

        var notice = sent is not null ? "The link is on its way to the customer." : done switch
        {
            "resent" => "The link is being sent again.",
            "cancelled" => "The request is cancelled: its link no longer works.",
            _ => null,
        };
        return ShowRequest(user, request, progress, services.Links, notice, null);
    }

    private static IResult ShowRequest(ConsoleUser user, PaymentRequest request, RequestProgress progress, PaymentLinks links, string? notice,
        string? resendError) =>
        ConsolePages.Render<RequestPage>(new
        {
            User = user, Request = request, Progress = progress, ShortUrl = links.ShortUrl(request.ShortCode), Notice = notice, ResendError = resendError,
        }, resendError is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    /// <summary>The live part of a request's page, for the page's script to swap in while the request is open.</summary>
    private static async Task<IResult> Progress(HttpContext http, string requestId, PaymentRequestServices services, IEventLog events,
        CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        if (await ReadAsync(user.Merchant!, requestId, services, events, cancellationToken) is not var (_, progress))
        {
            return ConsolePages.NotFound(user);
        }

        return ConsolePages.Render<ProgressPanel>(new { RequestId = requestId, Progress = progress });
    }

    private static async Task<IResult> Resend(HttpContext http, string requestId, PaymentRequestServices services, IEventLog events,
        CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        string? Field(string name) => form[name].ToString().Trim() is { Length: > 0 } value ? value : null;
        var result = await services.Resend.ExecuteAsync(user.Merchant!, requestId,
            new ResendInput(Field("channel"), Field("mobileNumber"), Field("email")), user.Actor, cancellationToken);
        var problem = result.Outcome switch
        {
            ResendOutcome.Closed => $"A {result.Request!.Status} request is not sent again.",
            ResendOutcome.DailyCapReached => $"Today's limit of {result.Cap!.Cap} {result.Cap.Channel.Name()} messages is reached.",
            ResendOutcome.Invalid => string.Join(" ", result.Errors.Select(e => e.Message)),
            _ => null,
        };
        if (result.Outcome == ResendOutcome.Resent)
        {
            return Results.Redirect(ConsoleRoutes.RequestPage(requestId) + "?done=resent");
        }

        return result.Outcome != ResendOutcome.NotFound && await ReadAsync(user.Merchant!, requestId, services, events, cancellationToken) is var (request, progress)
            ? ShowRequest(user, request, progress, services.Links, null, problem)
            : ConsolePages.NotFound(user);
    }

    private static async Task<IResult> ConfirmCancel(HttpContext http, string requestId, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        return await services.Requests.FindAsync(user.Merchant!.Id, requestId, cancellationToken) is { } found
            ? ConsolePages.Render<CancelPage>(new { User = user, Request = found.Value })
            : ConsolePages.NotFound(user);
    }

    private static async Task<IResult> Cancel(HttpContext http, string requestId, PaymentRequestServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var result = await services.UpdateStatus.ExecuteAsync(user.Merchant!.Id, requestId, PaymentRequestStatus.Cancelled, user.Actor, cancellationToken);
        return result.Outcome switch
        {
            StatusUpdateOutcome.NotFound => ConsolePages.NotFound(user),
            StatusUpdateOutcome.NotAllowed => ConsolePages.Render<CancelPage>(new
            {
                User = user, Request = result.Request!, Error = $"A {result.Request!.Status} request cannot be cancelled.",
            }, StatusCodes.Status409Conflict),
            _ => Results.Redirect(ConsoleRoutes.RequestPage(requestId) + "?done=cancelled"),
        };
    }

    /// <summary>
    /// A request of the merchant's and its progress, its four reads made at once (each within the merchant's own
    /// partitions, so another merchant's request id finds nothing); null when there is no such request.
    /// </summary>
    private static async Task<(PaymentRequest Request, RequestProgress Progress)?> ReadAsync(Merchant merchant, string requestId,
        PaymentRequestServices services, IEventLog events, CancellationToken cancellationToken)
    {
        var found = services.Requests.FindAsync(merchant.Id, requestId, cancellationToken);
        var deliveries = services.Deliveries.ListAsync(merchant.Id, requestId, cancellationToken);
        var payments = services.Payments.ListAsync(merchant.Id, requestId, cancellationToken);
        var timeline = events.ListAsync(merchant.Id, requestId, cancellationToken);
        await Task.WhenAll(found, deliveries, payments, timeline);
        return (await found) is { } request
            ? (request.Value, RequestProgress.From(merchant, request.Value, await deliveries, await payments, await timeline))
            : null;
    }
}

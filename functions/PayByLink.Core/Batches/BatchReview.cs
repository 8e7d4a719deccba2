namespace PayByLink.Core.Batches;

/// <summary>
/// What a batch file will do if confirmed, found by checking every line before anything is sent: the lines that will
/// be sent and their messages by channel, the lines that will fail grouped by reason, the messages held back by the
/// merchant's opt-out list, and whether the file would pass the merchant's daily cap (it is then refused whole).
/// </summary>
public sealed record BatchReview(
    IReadOnlyList<string> Header,
    int TotalRecords,
    int WillSend,
    int SmsMessages,
    int EmailMessages,
    int FailingLines,
    IReadOnlyList<BatchReviewFailure> Failures,
    int OptedOutSms,
    int OptedOutEmail,
    int HeldBackLines,
    string? CapReached)
{
    /// <summary>The line numbers kept for each reason; the download has every line.</summary>
    public const int LinesShownPerReason = 50;
}

/// <summary>The lines failing for one reason: how many, and the first <see cref="BatchReview.LinesShownPerReason"/> line numbers.</summary>
public sealed record BatchReviewFailure(string Field, string Code, string Message, int Count, IReadOnlyList<int> Lines);

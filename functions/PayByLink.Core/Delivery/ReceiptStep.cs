namespace PayByLink.Core.Delivery;

/// <summary>What a carrier's report does to a send as it stands.</summary>
public enum ReceiptStep
{
    /// <summary>The report repeats what is recorded: its event is told again.</summary>
    Repeat,

    /// <summary>The send was never sent (skipped): the report changes nothing.</summary>
    Ignore,

    /// <summary>The provider took the send and its sender has not recorded it yet: record it Sent, then the report.</summary>
    RecordSentFirst,

    /// <summary>Record the receipt: Delivered or Undeliverable.</summary>
    Record,
}

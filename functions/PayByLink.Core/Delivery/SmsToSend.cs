namespace PayByLink.Core.Delivery;

/// <summary>An SMS to send; <see cref="Tag"/> goes with it to the provider and comes back on its delivery report.</summary>
public sealed record SmsToSend(string SendId, string To, string Text, string Tag);

namespace PayByLink.Core.Delivery;

/// <summary>An SMS a customer sent to a sender number.</summary>
public sealed record InboundSms(string From, string To, string Message, DateTimeOffset At);

namespace PayByLink.Core.Domain;

public sealed record Reminders(int EveryDays, int Max);

namespace PayByLink.Core.Domain;

public sealed record Instalment(int Number, DateOnly DueDate, decimal Amount);

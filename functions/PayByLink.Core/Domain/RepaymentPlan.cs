namespace PayByLink.Core.Domain;

public sealed record RepaymentPlan(int Instalments, PlanFrequency Frequency, DateOnly FirstPaymentDate)
{
    /// <summary>The amount split into equal instalments in minor units; the last one takes the rounding remainder.</summary>
    public IReadOnlyList<Instalment> Schedule(decimal total, Currency currency)
    {
        var unit = 1m / (decimal)Math.Pow(10, currency.MinorDigits);
        var each = decimal.Floor(total / Instalments / unit) * unit;
        var schedule = new List<Instalment>(Instalments);
        for (var i = 0; i < Instalments; i++)
        {
            var amount = i == Instalments - 1 ? total - each * (Instalments - 1) : each;
            schedule.Add(new Instalment(i + 1, DueDate(i), amount));
        }

        return schedule;
    }

    public DateOnly LastPaymentDate => DueDate(Instalments - 1);

    private DateOnly DueDate(int index) => Frequency switch
    {
        PlanFrequency.Weekly => FirstPaymentDate.AddDays(7 * index),
        PlanFrequency.Fortnightly => FirstPaymentDate.AddDays(14 * index),
        PlanFrequency.Monthly => FirstPaymentDate.AddMonths(index),
        _ => throw new ArgumentOutOfRangeException(nameof(Frequency)),
    };
}

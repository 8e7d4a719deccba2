using PayByLink.Core.Domain;

namespace PayByLink.Core.Tests.Domain;

public class RepaymentPlanTests
{
    [Fact]
    public void The_last_instalment_takes_the_rounding_remainder()
    {
        var plan = new RepaymentPlan(3, PlanFrequency.Monthly, new DateOnly(2027, 1, 31));

        var schedule = plan.Schedule(100m, Currency.Gbp);

        schedule.Select(i => i.Amount).ShouldBe([33.33m, 33.33m, 33.34m]);
        schedule.Sum(i => i.Amount).ShouldBe(100m);
        schedule.Select(i => i.DueDate).ShouldBe([new DateOnly(2027, 1, 31), new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31)]);
    }

    [Theory]
    [InlineData(PlanFrequency.Weekly, 7)]
    [InlineData(PlanFrequency.Fortnightly, 14)]
    public void Weekly_and_fortnightly_plans_step_by_days(PlanFrequency frequency, int days)
    {
        var plan = new RepaymentPlan(4, frequency, new DateOnly(2027, 1, 1));

        plan.Schedule(10m, Currency.Gbp)[3].DueDate.ShouldBe(new DateOnly(2027, 1, 1).AddDays(3 * days));
    }

    [Fact]
    public void Currencies_without_minor_units_split_in_whole_units() =>
        new RepaymentPlan(3, PlanFrequency.Weekly, new DateOnly(2027, 1, 1)).Schedule(1000m, Currency.Find("JPY"))
            .Select(i => i.Amount).ShouldBe([333m, 333m, 334m]);
}

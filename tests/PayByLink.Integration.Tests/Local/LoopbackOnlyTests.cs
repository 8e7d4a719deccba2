using System.Net;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Local;

public class LoopbackOnlyTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.168.1.20", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("fe80::1", false)]
    public void The_developer_tools_answer_only_callers_on_this_machine(string caller, bool allowed) =>
        LoopbackOnly.Allows(IPAddress.Parse(caller)).ShouldBe(allowed);

    [Fact]
    public void A_caller_with_no_address_is_refused() => LoopbackOnly.Allows(null).ShouldBeFalse();
}

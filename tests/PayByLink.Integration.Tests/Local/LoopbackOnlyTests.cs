using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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

public class DeveloperToolsInAzureTests
{
    [Theory]
    [InlineData("PAYBYLINK_ENVIRONMENT", "Azure", 404)]
    [InlineData("PAYBYLINK_ENVIRONMENT", "azure", 404)]
    [InlineData("WEBSITE_INSTANCE_ID", "0123abcd", 404)]
    [InlineData("PAYBYLINK_ENVIRONMENT", "Local", 200)]
    public async Task The_developer_tools_refuse_to_run_where_the_settings_say_azure_even_for_a_loopback_caller(
        string setting, string value, int expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration).AddLogging().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        http.Response.Body = new MemoryStream();

        var answer = await LoopbackOnly.Filter(new DefaultEndpointFilterInvocationContext(http),
            _ => ValueTask.FromResult<object?>(Results.Ok()));
        await ((IResult)answer!).ExecuteAsync(http);

        http.Response.StatusCode.ShouldBe(expected);
    }
}

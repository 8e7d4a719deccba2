using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>Renders a page component as the whole answer, with its status code.</summary>
public static class ConsolePages
{
    public static IResult Render<TPage>(object parameters, int statusCode = StatusCodes.Status200OK) where TPage : IComponent =>
        new RazorComponentResult<TPage>(parameters) { StatusCode = statusCode, ContentType = "text/html; charset=utf-8" };

    public static IResult Error(ConsoleUser? user, int statusCode, string heading, string text) =>
        Render<ErrorPage>(new { User = user, Heading = heading, Text = text, StatusCode = statusCode }, statusCode);

    public static IResult NotFound(ConsoleUser user) =>
        Error(user, StatusCodes.Status404NotFound, "Page not found", "There is no such page or payment request for this merchant.");
}

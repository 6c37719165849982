using LiteKube.ApiServer.Tables;

namespace LiteKube.ApiServer.Tests.Tables;

/// <summary>Column headers as kubectl shows them: names upper-cased, " (wide)" marking priority 1.</summary>
internal static class PrinterColumns
{
    public static string Headers(ITablePrinter printer) =>
        string.Join(" | ", printer.Columns.Select(c => c.Name.ToUpperInvariant() + (c.Priority == 1 ? " (wide)" : "")));
}

namespace LiteKube.ApiServer.Tables;

/// <summary>meta.k8s.io/v1 TableColumnDefinition. Priority 1 columns show only with -o wide.</summary>
public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "");

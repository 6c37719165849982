namespace LiteKube.ApiServer.Security.ServiceAccounts;

/// <summary>The object a token is bound to (TokenRequest spec.boundObjectRef): the token dies
/// with it. Kind is "Pod", "Secret" or "Node".</summary>
public sealed record BoundObjectReference(string Kind, string Name, string Uid);

using System.Net;

namespace LiteKube.ApiServer.Registry.Services;

/// <summary>Where other nodes and pods reach this API server: its advertise address and port,
/// as listed in the <c>kubernetes</c> Service's endpoints.</summary>
public sealed record ApiServerEndpoint(IPAddress Address, int Port);

using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiteKube.Host;

/// <summary>Ends long-lived gRPC streams (etcd watches, lease keep-alives) as soon as the host
/// starts stopping. Kestrel's graceful stop waits for every request to finish, and a watch never
/// finishes on its own, so without this every stop with a watcher attached would take the whole
/// shutdown timeout. Unary calls are left alone: they answer. etcd does the same on shutdown,
/// and its clients reconnect.</summary>
internal static class StreamingCallShutdown
{
    public static IApplicationBuilder UseStreamingCallShutdown(this IApplicationBuilder app)
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>();
            if (method is null || method.Method.Type == MethodType.Unary)
            {
                await next(context);
                return;
            }
            using var registration = stopping.Register(context.Abort);
            await next(context);
        });
    }
}

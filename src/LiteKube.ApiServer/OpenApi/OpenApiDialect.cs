namespace LiteKube.ApiServer.OpenApi;

/// <summary>Which OpenAPI a document is written in: <c>/openapi/v2</c> serves Swagger 2.0
/// (<c>definitions</c>), <c>/openapi/v3</c> serves OpenAPI 3.0 (<c>components.schemas</c>).</summary>
public enum OpenApiDialect
{
    SwaggerV2,
    OpenApiV3,
}

namespace LiteKube.ApiServer.Security.Protobuf;

/// <summary>
/// Field numbers of the review and token kinds that kubectl 1.32+ sends as protobuf
/// (<c>auth can-i</c>, <c>auth can-i --list</c>, <c>auth whoami</c>, <c>create token</c>),
/// written from the Kubernetes API definitions (k8s.io/api authorization/v1 and
/// authentication/v1, apimachinery meta/v1) and checked against bodies real kubectl sent.
/// Status fields are left out: a request's status is the server's to fill.
/// </summary>
public static class SecurityProtobufSchemas
{
    private static readonly ProtoMessage ObjectMeta = new("ObjectMeta")
    {
        [1] = new("name", ProtoFieldType.String),
        [2] = new("generateName", ProtoFieldType.String),
        [3] = new("namespace", ProtoFieldType.String),
        [5] = new("uid", ProtoFieldType.String),
        [6] = new("resourceVersion", ProtoFieldType.String),
        [7] = new("generation", ProtoFieldType.Int64),
        [8] = new("creationTimestamp", ProtoFieldType.Time),
        [11] = new("labels", ProtoFieldType.StringMap),
        [12] = new("annotations", ProtoFieldType.StringMap),
    };

    private static readonly ProtoMessage ResourceAttributes = new("ResourceAttributes")
    {
        [1] = new("namespace", ProtoFieldType.String),
        [2] = new("verb", ProtoFieldType.String),
        [3] = new("group", ProtoFieldType.String),
        [4] = new("version", ProtoFieldType.String),
        [5] = new("resource", ProtoFieldType.String),
        [6] = new("subresource", ProtoFieldType.String),
        [7] = new("name", ProtoFieldType.String),
    };

    private static readonly ProtoMessage NonResourceAttributes = new("NonResourceAttributes")
    {
        [1] = new("path", ProtoFieldType.String),
        [2] = new("verb", ProtoFieldType.String),
    };

    private static readonly ProtoMessage SelfSubjectAccessReviewSpec = new("SelfSubjectAccessReviewSpec")
    {
        [1] = new("resourceAttributes", ProtoFieldType.Message, Message: ResourceAttributes),
        [2] = new("nonResourceAttributes", ProtoFieldType.Message, Message: NonResourceAttributes),
    };

    private static readonly ProtoMessage SubjectAccessReviewSpec = new("SubjectAccessReviewSpec")
    {
        [1] = new("resourceAttributes", ProtoFieldType.Message, Message: ResourceAttributes),
        [2] = new("nonResourceAttributes", ProtoFieldType.Message, Message: NonResourceAttributes),
        [3] = new("user", ProtoFieldType.String),
        [4] = new("groups", ProtoFieldType.String, Repeated: true),
        [5] = new("extra", ProtoFieldType.StringListMap),
        [6] = new("uid", ProtoFieldType.String),
    };

    private static readonly ProtoMessage SelfSubjectRulesReviewSpec = new("SelfSubjectRulesReviewSpec")
    {
        [1] = new("namespace", ProtoFieldType.String),
    };

    private static readonly ProtoMessage BoundObjectReference = new("BoundObjectReference")
    {
        [1] = new("kind", ProtoFieldType.String),
        [2] = new("apiVersion", ProtoFieldType.String),
        [3] = new("name", ProtoFieldType.String),
        [4] = new("uid", ProtoFieldType.String),
    };

    private static readonly ProtoMessage TokenRequestSpec = new("TokenRequestSpec")
    {
        [1] = new("audiences", ProtoFieldType.String, Repeated: true),
        [3] = new("boundObjectRef", ProtoFieldType.Message, Message: BoundObjectReference),
        [4] = new("expirationSeconds", ProtoFieldType.Int64),
    };

    private static readonly ProtoMessage TokenReviewSpec = new("TokenReviewSpec")
    {
        [1] = new("token", ProtoFieldType.String),
        [2] = new("audiences", ProtoFieldType.String, Repeated: true),
    };

    private static readonly Dictionary<string, ProtoMessage> ByKind = new()
    {
        ["SelfSubjectAccessReview"] = WithSpec("SelfSubjectAccessReview", SelfSubjectAccessReviewSpec),
        ["SubjectAccessReview"] = WithSpec("SubjectAccessReview", SubjectAccessReviewSpec),
        ["LocalSubjectAccessReview"] = WithSpec("LocalSubjectAccessReview", SubjectAccessReviewSpec),
        ["SelfSubjectRulesReview"] = WithSpec("SelfSubjectRulesReview", SelfSubjectRulesReviewSpec),
        ["TokenRequest"] = WithSpec("TokenRequest", TokenRequestSpec),
        ["TokenReview"] = WithSpec("TokenReview", TokenReviewSpec),
        // SelfSubjectReview has no spec: field 2 is its status.
        ["SelfSubjectReview"] = new("SelfSubjectReview") { [1] = new("metadata", ProtoFieldType.Message, Message: ObjectMeta) },
    };

    /// <summary>The schema of a kind this table knows, or null.</summary>
    public static ProtoMessage? For(string kind) => ByKind.GetValueOrDefault(kind);

    private static ProtoMessage WithSpec(string kind, ProtoMessage spec) => new(kind)
    {
        [1] = new("metadata", ProtoFieldType.Message, Message: ObjectMeta),
        [2] = new("spec", ProtoFieldType.Message, Message: spec),
    };
}

namespace LiteKube.ApiServer.Registry.Controllers;

/// <summary>
/// What the host tells the API server about the cluster CA for the root CA publisher: the PEM
/// every namespace's <c>kube-root-ca.crt</c> ConfigMap carries, so that pods can verify the API
/// server at <c>kubernetes.default.svc</c>. Registered by the host before <c>AddKubernetesApi</c>;
/// every server of a cluster must give the same bundle, or they overwrite each other's.
/// </summary>
public sealed record RootCaPublisherOptions(string CaBundlePem);

using System.Text;

namespace LiteKube.Cluster.Kubeconfig;

/// <summary>Renders a kubeconfig with embedded CA and client certificate, as kubectl reads it.</summary>
public static class KubeconfigDocument
{
    public static string Render(string serverUrl, string caPem, string clientCertificatePem, string clientKeyPem, string clusterName = "litekube", string userName = "admin")
    {
        static string B64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {clusterName}
              cluster:
                server: {serverUrl}
                certificate-authority-data: {B64(caPem)}
            users:
            - name: {userName}
              user:
                client-certificate-data: {B64(clientCertificatePem)}
                client-key-data: {B64(clientKeyPem)}
            contexts:
            - name: {clusterName}
              context:
                cluster: {clusterName}
                user: {userName}
            current-context: {clusterName}

            """;
    }
}

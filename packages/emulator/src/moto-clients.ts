import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { IAMClient } from "@aws-sdk/client-iam";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";

/** SDK clients for one region, talking to moto directly (the forward path: moto's state decides). */
export interface MotoClients {
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly logs: CloudWatchLogsClient;
  readonly secrets: SecretsManagerClient;
  readonly ssm: SSMClient;
  readonly iam: IAMClient;
}

/** Makes (and caches) moto clients per region. moto checks no signature; the credentials are placeholders. */
export function motoClientFactory(endpoint: string): (region: string) => MotoClients {
  const cache = new Map<string, MotoClients>();
  return (region) => {
    let clients = cache.get(region);
    if (!clients) {
      const config = {
        endpoint,
        region,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 2,
      };
      clients = {
        ecs: new ECSClient(config),
        ec2: new EC2Client(config),
        logs: new CloudWatchLogsClient(config),
        secrets: new SecretsManagerClient(config),
        ssm: new SSMClient(config),
        iam: new IAMClient(config),
      };
      cache.set(region, clients);
    }
    return clients;
  };
}

/**
 * The offline backend: deterministic stand-ins for what Entra ID and the helper providers would return, so the
 * real program evaluates with no cloud and two evaluations of the same config are identical.
 */
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import forge from "node-forge";
import type * as pulumi from "@pulumi/pulumi";
import { directoryString } from "../credentials/certificates";
import { CLOUDS, EOP_MANAGE_AS_APP_ROLE, EXCHANGE_ONLINE_APP_ID, EXCHANGE_ONLINE_PROTECTION_APP_ID, MANAGE_AS_APP_ROLE, MANAGE_AS_APP_V2_ROLE_VALUE } from "../facts";
import type { MockBackend, MockedResource } from "./backend";
import { isSecretWire } from "./secretWire";
import { FUNCTION, TYPE } from "../facts/typeTokens";

/** A GUID derived from a name, so ids are stable across evaluations. */
export function stableGuid(...parts: string[]): string {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface MockKey {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

interface MockCertificate {
  readonly certPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

let mockKey: MockKey | undefined;
const mockCertificates = new Map<string, MockCertificate>();

/** One real RSA key per process (making one takes a tenth of a second); the program parses what it signs. */
function mockKeyPair(): MockKey {
  if (!mockKey) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    mockKey = {
      privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
  }
  return mockKey;
}

/**
 * Signs as forge's `cert.sign` does (SHA-256 with RSA over the TBS certificate), with Node's native RSA instead of
 * forge's JavaScript one: about 15 ms a certificate less, which a plan of many tenants pays once a tenant.
 */
function signWithNode(cert: forge.pki.Certificate, privateKeyPem: string): void {
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  // forge's own step of `sign`, absent from its type declarations.
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  (cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  cert.signature = sign("sha256", Buffer.from(forge.asn1.toDer(tbs).getBytes(), "binary"), privateKeyPem).toString("binary");
}

/**
 * A real self-signed certificate for the mock key: the same one for the same resource, subject, start and lifetime.
 * The serial comes from the resource's name, so two certificates of one stack (a rotation) differ, as real ones do.
 */
function mockCertificate(resourceName: string, commonName: string, notBefore: Date, validityHours: number): MockCertificate {
  const cacheKey = `${resourceName}|${commonName}|${notBefore.getTime()}|${validityHours}`;
  const cached = mockCertificates.get(cacheKey);
  if (cached) return cached;
  const key = mockKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicKeyPem);
  cert.serialNumber = `01${createHash("sha256").update(resourceName).digest("hex").slice(0, 16)}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + validityHours * 3600_000);
  const subject = [directoryString("commonName", commonName)];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  signWithNode(cert, key.privateKeyPem);
  const made = { certPem: forge.pki.certificateToPem(cert), notBefore: cert.validity.notBefore, notAfter: cert.validity.notAfter };
  mockCertificates.set(cacheKey, made);
  return made;
}

const DAY_MS = 86_400_000;

/** A value in Pulumi's secret wire form → the value inside; anything else as it is. */
function unwrapSecret(value: unknown): unknown {
  return isSecretWire(value) ? value.value : value;
}

/** RFC 3339 to the second, as the time provider writes it. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A backend that always answers (so it can be the last resort behind any other). */
export interface OfflineBackend extends MockBackend {
  newResource(args: pulumi.runtime.MockResourceArgs): MockedResource;
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown>;
}

/**
 * A first-party principal as `azuread.getServicePrincipal` returns it: `appRoles` (each with the provider's fields)
 * and `appRoleIds`, the value → id map the program resolves role ids from.
 */
export function firstPartyPrincipal(clientId: string, displayName: string, seed: string, roles: readonly { id: string; value: string }[]): Record<string, unknown> {
  const objectId = stableGuid(seed);
  return {
    id: `/servicePrincipals/${objectId}`,
    objectId,
    clientId,
    displayName,
    appRoles: roles.map((r) => ({ id: r.id, value: r.value, displayName: r.value, description: r.value, allowedMemberTypes: ["Application"], enabled: true })),
    appRoleIds: Object.fromEntries(roles.map((r) => [r.value, r.id])),
  };
}

/** `now` is read once, so every evaluation through one backend sees the same clock. */
export function offlineBackend(options: { now?: Date } = {}): OfflineBackend {
  const now = options.now ?? new Date();
  /** azure-native providers by the id given here: their cloud and subscription shape a vault's id and URI. */
  const azureProviders = new Map<string, { environment: string; subscriptionId: string }>();
  const azureTarget = (ref: string | undefined) => azureProviders.get(ref?.split("::").pop() ?? "") ?? { environment: "public", subscriptionId: stableGuid("subscription") };
  /** An ARM resource id as ARM answers it: in the subscription of the azure-native provider the resource goes through. */
  const armId = (ref: string | undefined, resourceGroup: unknown, type: string, name: unknown) =>
    `/subscriptions/${azureTarget(ref).subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
  const created = rfc3339(now);
  return {
    newResource(args): MockedResource {
      const inputs = args.inputs as Record<string, unknown>;
      const guid = stableGuid(args.type, args.name);
      // An imported resource keeps the id it was imported with; its object id is the id's last segment.
      if (args.id) return { id: args.id, state: { ...inputs, objectId: args.id.split("/").pop(), ...(args.type === TYPE.application ? { clientId: guid } : {}) } };
      switch (args.type) {
        case TYPE.application: {
          const objectId = stableGuid(args.type, args.name, "object");
          return { id: `/applications/${objectId}`, state: { ...inputs, objectId, clientId: guid } };
        }
        case TYPE.servicePrincipal:
          return { id: `/servicePrincipals/${guid}`, state: { ...inputs, objectId: guid } };
        case TYPE.password:
          return { id: `${inputs.applicationId}/password/${guid}`, state: { ...inputs, keyId: guid, value: `offline-secret-${guid.slice(0, 8)}` } };
        case TYPE.certificate:
          return { id: `${inputs.applicationId}/certificate/${guid}`, state: { ...inputs, keyId: guid } };
        case TYPE.privateKey:
          return { id: guid, state: { ...inputs, ...mockKeyPair() } };
        case TYPE.selfSignedCert: {
          const commonName = (inputs.subject as { commonName?: string } | undefined)?.commonName ?? "offline";
          const material = mockCertificate(args.name, commonName, now, Number(inputs.validityPeriodHours));
          return {
            id: guid,
            state: {
              ...inputs,
              certPem: material.certPem,
              validityStartTime: material.notBefore.toISOString(),
              validityEndTime: material.notAfter.toISOString(),
            },
          };
        }
        case TYPE.userAssignedIdentity:
          return { id: armId(args.provider, inputs.resourceGroupName, "Microsoft.ManagedIdentity/userAssignedIdentities", inputs.resourceName), state: { ...inputs, principalId: stableGuid(args.type, args.name, "principal"), clientId: guid } };
        case TYPE.automationAccount:
          return {
            id: armId(args.provider, inputs.resourceGroupName, "Microsoft.Automation/automationAccounts", inputs.automationAccountName),
            state: { ...inputs, name: inputs.automationAccountName, identity: { ...(inputs.identity as object), principalId: stableGuid(args.type, args.name, "principal"), tenantId: stableGuid("tenant") } },
          };
        case TYPE.azureProvider:
          azureProviders.set(guid, { environment: String(inputs.environment ?? "public"), subscriptionId: String(inputs.subscriptionId ?? stableGuid("subscription")) });
          return { id: guid, state: { ...inputs } };
        case TYPE.keyVault: {
          // As ARM answers: the vault's id in the provider's subscription, its URI in the provider's Azure cloud.
          const target = azureTarget(args.provider);
          const suffix = Object.values(CLOUDS).find((c) => c.azureEnvironment === target.environment)!.keyVaultDnsSuffix;
          const name = String(inputs.vaultName);
          return {
            id: armId(args.provider, inputs.resourceGroupName, "Microsoft.KeyVault/vaults", name),
            state: { ...inputs, name, type: "Microsoft.KeyVault/vaults", properties: { ...(inputs.properties as object), vaultUri: `https://${name}.${suffix}/`, provisioningState: "Succeeded" } },
          };
        }
        case TYPE.keyVaultSecret: {
          // ARM never returns a secret's value. The value makes the whole map a secret on the wire: look inside.
          const { value: _value, ...properties } = unwrapSecret(inputs.properties ?? {}) as Record<string, unknown>;
          return { id: `${armId(args.provider, inputs.resourceGroupName, "Microsoft.KeyVault/vaults", inputs.vaultName)}/secrets/${inputs.secretName}`, state: { ...inputs, name: inputs.secretName, type: "Microsoft.KeyVault/vaults/secrets", properties } };
        }
        case TYPE.azureRoleAssignment:
          return { id: `${inputs.scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`, state: { ...inputs, name: guid, type: "Microsoft.Authorization/roleAssignments" } };
        case TYPE.storageAccount: {
          const account = String(inputs.accountName);
          return {
            id: armId(args.provider, inputs.resourceGroupName, "Microsoft.Storage/storageAccounts", account),
            state: { ...inputs, name: account, primaryEndpoints: { blob: `https://${account}.blob.core.windows.net/` } },
          };
        }
        case TYPE.blobContainer:
          return { id: `${inputs.accountName}/${inputs.containerName}`, state: { ...inputs, name: inputs.containerName } };
        case TYPE.blob:
          return { id: `${inputs.accountName}/${inputs.containerName}/${inputs.blobName}`, state: { ...inputs, name: inputs.blobName, url: `https://${inputs.accountName}.blob.core.windows.net/${inputs.containerName}/${inputs.blobName}` } };
        case TYPE.runbook:
        case TYPE.schedule:
          return { id: guid, state: { ...inputs, name: inputs.runbookName ?? inputs.scheduleName ?? inputs.name } };
        case TYPE.staticTime:
          return { id: created, state: { ...inputs, rfc3339: created, unix: Math.floor(now.getTime() / 1000) } };
        case TYPE.rotating: {
          const rotation = rfc3339(new Date(now.getTime() + Number(inputs.rotationDays ?? 0) * DAY_MS));
          return { id: created, state: { ...inputs, rfc3339: created, rotationRfc3339: rotation } };
        }
        default:
          return { id: args.custom === false ? "" : guid, state: { ...inputs } };
      }
    },
    call(args) {
      if (args.token === FUNCTION.getServicePrincipal && args.inputs.clientId === EXCHANGE_ONLINE_APP_ID) {
        // The Admin API role's real id is unconfirmed: the program must read it by value, so any id will do here.
        return firstPartyPrincipal(EXCHANGE_ONLINE_APP_ID, "Office 365 Exchange Online", "exchange-online-service-principal", [
          { id: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value },
          { id: stableGuid(MANAGE_AS_APP_V2_ROLE_VALUE), value: MANAGE_AS_APP_V2_ROLE_VALUE },
        ]);
      }
      if (args.token === FUNCTION.getServicePrincipal && args.inputs.clientId === EXCHANGE_ONLINE_PROTECTION_APP_ID) {
        return firstPartyPrincipal(EXCHANGE_ONLINE_PROTECTION_APP_ID, "Microsoft Exchange Online Protection", "exchange-online-protection-service-principal", [
          { id: EOP_MANAGE_AS_APP_ROLE.id, value: EOP_MANAGE_AS_APP_ROLE.value },
        ]);
      }
      if (args.token === FUNCTION.getServicePrincipal && typeof args.inputs.objectId === "string") {
        // Any other principal looked up by object id (a system-assigned managed identity's): its app id.
        const objectId = args.inputs.objectId;
        return { id: `/servicePrincipals/${objectId}`, objectId, clientId: stableGuid("client-of", objectId), appRoles: [], appRoleIds: {} };
      }
      if (args.token === FUNCTION.listStorageAccountServiceSAS) {
        // A SAS's shape, signed by nothing: offline there is no account key.
        return { serviceSasToken: `sv=2022-11-02&sr=b&sp=r&spr=https&se=${encodeURIComponent(String(args.inputs.sharedAccessExpiryTime))}&sig=offline` };
      }
      return args.inputs as Record<string, unknown>;
    },
  };
}

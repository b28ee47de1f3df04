/**
 * Which audience the check asks a token for and which host it then calls, for the surface it probes (InvokeCommand,
 * the Admin API, Security & Compliance). Exchange refuses a token whose audience is not the host it is sent to, so
 * the two come from one place: the cloud's surface (src/facts/clouds.ts), or the user's overrides.
 *
 * - `--exchange-resource` alone: the token is asked for it, and the probe goes to its host (they agree by construction).
 * - `--exchange-endpoint` alone: the probe goes there with the surface's audience (a test tenant, a proxy); a host of
 *   Microsoft's own Exchange whose audience is another is refused before anything is sent.
 * - both: used as given, unless both are Microsoft Exchange hosts that disagree.
 */
import { CLOUDS, KNOWN_EXCHANGE_ORIGINS, exchangeSurface, type CloudName, type ExchangeApi, type Workload } from "../facts";

export interface EndpointChoice {
  readonly environment: CloudName;
  readonly workload: Workload;
  readonly api: ExchangeApi;
  /** `--exchange-resource`: the audience to ask for instead of the surface's (an https origin). */
  readonly exchangeResource?: string;
  /** `--exchange-endpoint`: where the Exchange Online probe goes instead of the surface's host. */
  readonly exchangeEndpoint?: string;
  /** Security & Compliance's base instead of the cloud's (a path is kept). */
  readonly complianceEndpoint?: string;
}

export interface ProbeEndpoints {
  /** The token's resource: the scope asked for is this plus `/.default`, and `token.audience` accepts exactly it. */
  readonly resource: string;
  /** Where the probe is sent. */
  readonly endpoint: string;
}

const trimSlash = (value: string): string => value.replace(/\/+$/, "");
const origin = (url: string): string => new URL(url).origin;

/** The audience and the host of the probed surface. Pure; the options were validated (validateEndpointChoice). */
export function probeEndpoints(choice: EndpointChoice): ProbeEndpoints {
  const cloud = CLOUDS[choice.environment];
  if (choice.workload === "compliance") {
    return { resource: cloud.compliance.resource, endpoint: trimSlash(choice.complianceEndpoint ?? origin(cloud.compliance.connectionUri)) };
  }
  const surface = exchangeSurface(cloud, choice.api);
  const resource = choice.exchangeResource ? origin(choice.exchangeResource) : surface.resource;
  const endpoint = choice.exchangeEndpoint ? origin(choice.exchangeEndpoint) : choice.exchangeResource ? resource : surface.host;
  return { resource, endpoint };
}

/**
 * Refuses what cannot work, as [message, remedy]: an override with `--workload compliance` (S&C's audience is its
 * own), an `--exchange-resource` that is not an https origin, and a Microsoft Exchange host called with another
 * host's audience. Undefined when the choice is fine. The URLs are known to parse and be https (checked before).
 */
export function endpointChoiceProblem(choice: EndpointChoice): readonly [string, string] | undefined {
  if (choice.exchangeResource === undefined) return agreementProblem(choice);
  if (choice.workload === "compliance") {
    return [
      "--exchange-resource sets Exchange Online's token audience, and --workload compliance checks Security & Compliance, whose audience is its own",
      "Drop --exchange-resource with --workload compliance.",
    ];
  }
  const url = new URL(choice.exchangeResource);
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "" || choice.exchangeResource.includes("?") || choice.exchangeResource.includes("#")) {
    return [
      `--exchange-resource ${choice.exchangeResource} is not a resource: it must be a scheme and a host only (the scope asked for is that plus /.default)`,
      `Pass the host alone, for example --exchange-resource ${url.origin}.`,
    ];
  }
  return agreementProblem(choice);
}

function agreementProblem(choice: EndpointChoice): readonly [string, string] | undefined {
  if (choice.workload === "compliance" || choice.exchangeEndpoint === undefined) return undefined;
  const { resource, endpoint } = probeEndpoints(choice);
  if (endpoint === resource || !KNOWN_EXCHANGE_ORIGINS.has(endpoint)) return undefined;
  return [
    `--exchange-endpoint ${endpoint} is an Exchange Online host, but the token would be for ${resource}: Exchange refuses a token whose audience is not the host it is sent to`,
    `Ask for a token for that host too: add --exchange-resource ${endpoint} (or pass --exchange-resource alone: the probe then goes to its host).`,
  ];
}

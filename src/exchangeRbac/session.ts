/**
 * One cmdlet, sent the way every Exchange RBAC operation sends it: the deploying identity's token, src/exchange's
 * client, throttling and service failures retried within a budget (src/net's backoff, Retry-After honoured), and
 * "not found" retried only where it means propagation (Exchange does not see a fresh principal yet), with a
 * progress line per wait. Everything else fails at once with Exchange's text and a fix (explain.ts).
 */
import type { TokenCredential } from "@azure/identity";
import { nextAttempt, parseRetryAfter } from "../net/backoff";
import { HttpTransport, TransportError } from "../net/http";
import { ExchangeClientError, runCmdlet, type CmdletAnswer, type ExchangeTransport } from "../exchange";
import { CLOUDS, type CloudName } from "../facts";
import { ExchangeRbacError } from "./errors";
import { explainFailure, failureKind, type CmdletContext, type FailureKind } from "./explain";
import { deployerCredential, exchangeToken, type SignInTarget } from "./signIn";

/**
 * Where InvokeCommand is sent instead of the cloud's Exchange: the tenant emulator. Only tests set it (https only);
 * the token is still asked for the cloud's real Exchange resource.
 */
export const TEST_EXCHANGE_URL_VARIABLE = "EXO_APP_ONLY_TEST_EXCHANGE_URL";

export interface ExchangeTarget {
  readonly tenantId: string;
  readonly environment: CloudName;
}

export interface SessionDeps {
  /** Where the sign-in and the test override are read from. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Extra CA (PEM) to trust: the tenant emulator's, in in-process tests. A provider host uses NODE_EXTRA_CA_CERTS. */
  readonly ca?: string;
  /** The deploying identity's credential. Default: the ARM_* / DefaultAzureCredential chain (signIn.ts). */
  readonly credential?: (target: SignInTarget) => Promise<TokenCredential>;
  /** How requests are sent. Default: src/net's HttpTransport (https only, bounded). */
  readonly transport?: (deadline: number) => ExchangeTransport;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Progress lines while waiting (default: stderr, which the engine keeps in its log). */
  readonly progress?: (line: string) => void;
  /** How long throttling, 5xx and network failures may take to heal, per cmdlet. Default 2 minutes. */
  readonly transientBudgetMs?: number;
}

/** "Not found" that means "not yet": retried until `untilMs` after the first attempt when `when(text)` holds. */
export interface HealNotFound {
  readonly budgetMs: number;
  readonly when: (errorText: string) => boolean;
  /** For the progress line: `Exchange to see service principal 0a1b…`. */
  readonly waitingFor: string;
}

export interface RunOptions {
  /** Failure kinds returned to the caller rather than thrown (read and delete take "notFound" as "gone"). */
  readonly accept?: readonly FailureKind[];
  readonly heal?: HealNotFound;
}

export interface RunResult {
  readonly answer: CmdletAnswer;
  /** Set when the answer is a failure the caller accepted. */
  readonly failure?: FailureKind;
}

const DEFAULT_TRANSIENT_BUDGET_MS = 120_000;
const REQUEST_TIMEOUT_MS = 60_000;

export class RbacSession {
  private readonly env: NodeJS.ProcessEnv;
  private readonly credentials = new Map<string, Promise<TokenCredential>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly progress: (line: string) => void;

  constructor(private readonly deps: SessionDeps = {}) {
    this.env = deps.env ?? process.env;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = deps.random ?? Math.random;
    this.progress = deps.progress ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** The Exchange host InvokeCommand goes to: the cloud's, or the tests' override. */
  baseUrl(environment: CloudName): string {
    const override = this.env[TEST_EXCHANGE_URL_VARIABLE]?.trim();
    if (!override) return CLOUDS[environment].exchangeResource;
    if (!/^https:\/\//i.test(override)) {
      throw new ExchangeRbacError("ERR_INPUT", `${TEST_EXCHANGE_URL_VARIABLE} ${override} is not https`, `Unset ${TEST_EXCHANGE_URL_VARIABLE}: it is for tests only, and tokens never travel in the clear.`);
    }
    return override.replace(/\/+$/, "");
  }

  private async token(target: ExchangeTarget): Promise<string> {
    const signIn: SignInTarget = { tenantId: target.tenantId, environment: target.environment, env: this.env, ...(this.deps.ca ? { ca: this.deps.ca } : {}) };
    const key = `${target.tenantId}|${target.environment}`;
    let credential = this.credentials.get(key);
    if (!credential) {
      // One credential per tenant and cloud: @azure/identity caches its tokens per instance.
      credential = (this.deps.credential ?? deployerCredential)(signIn);
      this.credentials.set(key, credential);
    }
    return exchangeToken(signIn, await credential);
  }

  /** Runs the cmdlet; a success, an accepted failure, or a thrown ExchangeRbacError. */
  async run(target: ExchangeTarget, context: CmdletContext, parameters: Record<string, unknown>, options: RunOptions = {}): Promise<RunResult> {
    const startedAt = this.now();
    const transientDeadline = startedAt + (this.deps.transientBudgetMs ?? DEFAULT_TRANSIENT_BUDGET_MS);
    const healDeadline = options.heal ? startedAt + options.heal.budgetMs : startedAt;
    const baseUrl = this.baseUrl(target.environment);
    for (let attempt = 1; ; attempt += 1) {
      let answer: CmdletAnswer | undefined;
      let unreachable: TransportError | undefined;
      const accessToken = await this.token(target);
      try {
        const transport = this.deps.transport?.(Math.max(transientDeadline, healDeadline) + REQUEST_TIMEOUT_MS) ??
          new HttpTransport({ deadline: this.now() + REQUEST_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, now: this.now, ...(this.deps.ca ? { ca: this.deps.ca } : {}) });
        answer = await runCmdlet({ baseUrl, tenantId: target.tenantId, accessToken, cmdlet: context.cmdlet, parameters }, transport);
      } catch (error) {
        if (error instanceof TransportError) unreachable = error;
        else if (error instanceof ExchangeClientError) throw new ExchangeRbacError("ERR_EXCHANGE", `${context.cmdlet}: ${error.message}`, "Exchange answered in a way the client does not follow; try again later.");
        else throw error;
      }
      if (answer && answer.status >= 200 && answer.status < 300) return { answer };
      const kind: FailureKind = answer ? failureKind(answer) : "transient";
      if (answer && options.accept?.includes(kind)) return { answer, failure: kind };
      const healing = kind === "notFound" && options.heal?.when(answer?.errorText ?? "") === true;
      if (kind !== "transient" && !healing) throw explainFailure(context, answer!);
      const deadline = healing ? healDeadline : transientDeadline;
      const now = this.now();
      const next = nextAttempt({ attempt, startedAt, now, deadline, ...(answer?.retryAfter ? { retryAfterMs: parseRetryAfter(answer.retryAfter, now) } : {}), random: this.random() });
      if (next.kind === "give-up") throw this.gaveUp(context, target, answer, unreachable, healing ? options.heal : undefined, now - startedAt);
      const why = healing ? `waiting for ${options.heal!.waitingFor}` : unreachable ? `Exchange unreachable (${unreachable.code})` : `Exchange answered ${answer!.status}`;
      this.progress(`${context.cmdlet}: ${why}; attempt ${attempt} failed, retrying in ${Math.ceil(next.delayMs / 1000)} s (${Math.max(0, Math.round((deadline - now) / 1000))} s left)`);
      await this.sleep(next.delayMs);
    }
  }

  private gaveUp(context: CmdletContext, target: ExchangeTarget, answer: CmdletAnswer | undefined, unreachable: TransportError | undefined, heal: HealNotFound | undefined, waitedMs: number): ExchangeRbacError {
    const waited = `${Math.round(waitedMs / 1000)} s`;
    if (heal) {
      const failure = explainFailure(context, answer!);
      return new ExchangeRbacError(
        "ERR_PROPAGATION",
        `${failure.message} (still after ${waited} of waiting for ${heal.waitingFor})`,
        "A new service principal can take minutes to reach Exchange: run `pulumi up` again in a few minutes. If it persists, check that the app's service principal exists in this tenant.",
        answer?.errorText,
      );
    }
    if (unreachable) {
      return new ExchangeRbacError(
        "ERR_UNAVAILABLE",
        `${context.cmdlet} for the ${context.what} in tenant ${target.tenantId}: cannot reach Exchange at ${new URL(this.baseUrl(target.environment)).host} (${unreachable.code}) after ${waited}`,
        "Check the network and the proxy from this machine to Exchange Online, and the stack's environment (cloud); then run `pulumi up` again.",
      );
    }
    return explainFailure(context, answer!);
  }
}

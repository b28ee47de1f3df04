/**
 * The plugin's custom resources (the post-deploy check and Exchange's RBAC objects): their CRUD, by type token, as
 * the plugin serves it. Contract between the plugin's entry (provider/main.ts, which dispatches to these) and the
 * resources' code (the libraries in src/check, src/exchangeRbac, src/exchange), called in the plugin's process.
 *
 * What the engine sends is made plain here: secret values arrive unwrapped or as secret signature objects (both are
 * taken), and keys the engine adds (`__…`) are dropped. Input problems come back as check failures naming the
 * property; a failure of create, update, read or delete is an Error whose text says which resource kind failed, what
 * went wrong and the fix (never a secret: the check's secret and key reach only the sign-in).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { checkExchangeCheckInputs, exchangeCheckChanged, failureText, runExchangeCheck, type ExchangeCheckInputs, type ExchangeCheckOutputs } from "../src/check/resource";
import { makeExchangeRbacProviders, type SessionDeps } from "../src/exchangeRbac";
import type { Provider } from "../src/exchangeRbac/common";
import { TYPE } from "../src/facts/typeTokens";

/** One custom resource type's methods, as `pulumi.provider.Provider` names them: create is required. */
export type CustomResourceProvider = Required<Pick<provider.Provider, "create">> & Pick<provider.Provider, "check" | "diff" | "read" | "update" | "delete">;


/** A property value without the engine's wrappers: secrets unwrapped, `__` keys dropped. */
export function plainProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainProperties);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  // The SDK's marker of a secret value in the engine's property values.
  if (record[specialSigKey] === specialSecretSig) return plainProperties(record.value);
  return Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith("__")).map(([key, v]) => [key, plainProperties(v)]));
}

function plain<T>(value: unknown): T {
  return (plainProperties(value ?? {}) ?? {}) as T;
}

/** True when the value is, or holds, the engine's stand-in for a value a preview does not know yet. */
function holdsUnknown(value: unknown): boolean {
  if (value === pulumi.runtime.unknownValue) return true;
  if (Array.isArray(value)) return value.some(holdsUnknown);
  return typeof value === "object" && value !== null && Object.values(value).some(holdsUnknown);
}

/**
 * Check's failures for the values the engine knows. In a preview, an input computed from another resource's output
 * arrives as the unknown stand-in: it is checked on `up`, when it is known, not failed now.
 */
export function knownFailures<F extends { readonly property: string }>(failures: readonly F[], news: unknown): F[] {
  const inputs = plain<Record<string, unknown>>(news);
  return failures.filter((failure) => !holdsUnknown(inputs[failure.property]));
}

/**
 * A failure the user reads: its text is all there is to it. The SDK's server prints `${error}: ${error.stack}` to
 * stderr before answering a failed check, diff, read or delete, and the engine shows a plugin's stderr to the user:
 * so no stack (its frames would be this file's, never the cause's).
 */
export function userFacingError(text: string): Error {
  const error = new Error(text);
  error.stack = "";
  return error;
}

/** Rethrows as the text the engine prints under the resource: `<kind>: <what went wrong>` and the fix. */
function failWith(prefix: string): (error: unknown) => never {
  return (error) => {
    throw userFacingError(failureText(prefix, error));
  };
}

/**
 * A library's provider served under the engine's shapes. `outputOnly` are the state keys that are not inputs: read
 * leaves them out of the inputs it answers, so `pulumi import` from the id alone gets the resource's inputs.
 */
function served<I, O>(prefix: string, library: Provider<I, O>, outputOnly: readonly string[]): CustomResourceProvider {
  const fail = failWith(prefix);
  const update = library.update?.bind(library);
  return {
    async check(_urn, olds, news) {
      const result = await library.check(plain<Partial<I>>(olds), plain<I>(news)).catch(fail);
      // The inputs go back as they came (a secret stays marked); only the library's verdict is added.
      return { inputs: news, failures: knownFailures(result.failures, news) };
    },
    async diff(id, _urn, olds, news) {
      return library.diff(id, plain<O>(olds), plain<I>(news)).catch(fail);
    },
    async create(_urn, inputs) {
      const { id, outs } = await library.create(plain<I>(inputs)).catch(fail);
      return { id, outs };
    },
    async read(id, _urn, props) {
      const result = await library.read(id, plain<Partial<O>>(props)).catch(fail);
      // Gone: an empty id, and the engine drops it from state.
      if (!result.id || !result.props) return { id: "", props: {} };
      const state = result.props as Record<string, unknown>;
      const inputs = Object.fromEntries(Object.entries(state).filter(([key]) => !outputOnly.includes(key)));
      return { id: result.id, props: state, inputs };
    },
    ...(update
      ? {
          async update(id: string, _urn: string, olds: unknown, news: unknown) {
            return update(id, plain<O>(olds), plain<I>(news)).catch(fail);
          },
        }
      : {}),
    async delete(id, _urn, props) {
      await library.delete(id, plain<Partial<O>>(props)).catch(fail);
    },
  };
}

/** The check as a resource: runs on create and when a trigger changes; nothing to read or undo. */
function checkProvider(): CustomResourceProvider {
  return {
    async check(_urn, _olds, news) {
      return { inputs: news, failures: knownFailures(checkExchangeCheckInputs(plain<Partial<ExchangeCheckInputs>>(news)), news) };
    },
    async diff(_id, _urn, olds, news) {
      const changes = exchangeCheckChanged(plain<Partial<ExchangeCheckOutputs>>(olds), plain<ExchangeCheckInputs>(news));
      return { changes, replaces: [], deleteBeforeReplace: false };
    },
    async create(_urn, inputs) {
      const checked = plain<ExchangeCheckInputs>(inputs);
      const outs = await runExchangeCheck(checked);
      return { id: `${checked.tenantId}/${checked.clientId}`, outs };
    },
    async read(id, _urn, props) {
      // The check leaves nothing in the tenant: what state holds is what there is.
      return { id, props: plain<ExchangeCheckOutputs>(props) };
    },
    async update(_id, _urn, _olds, news) {
      return { outs: await runExchangeCheck(plain<ExchangeCheckInputs>(news)) };
    },
    // Nothing to undo, and nothing required: a state written on another machine can always be deleted.
    async delete() {
      return;
    },
  };
}

/**
 * The custom resources by type token (`exchange-app-only:index:ExchangeAccessCheck`, ...). The Exchange RBAC
 * resources share one session (one sign-in per tenant and cloud for the plugin's lifetime), signed in as the
 * deploying identity from `deps.env` (default: the plugin's environment, ARM_* / OIDC / Azure CLI).
 */
export function customResourceProviders(deps: SessionDeps = {}): Record<string, CustomResourceProvider> {
  const rbac = makeExchangeRbacProviders(deps);
  return {
    [TYPE.check]: checkProvider(),
    [TYPE.exchangeServicePrincipal]: served("ExchangeServicePrincipal", rbac.servicePrincipal, ["identity"]),
    [TYPE.exchangeRoleGroup]: served("ExchangeRoleGroup", rbac.roleGroup, ["identity"]),
    [TYPE.exchangeRoleGroupMember]: served("ExchangeRoleGroupMember", rbac.roleGroupMember, []),
    [TYPE.exchangeRoleAssignment]: served("ExchangeManagementRoleAssignment", rbac.managementRoleAssignment, ["identity"]),
  };
}

/**
 * A usage error that names what was wrong. Commander says "too many arguments" for a word a command does not take,
 * and "unknown option '--policy=./pack'" for a value given to a switch; these say what the word looks like (a
 * token, a GUID, a path, a stack name, a value after a flag that takes none) and where it goes instead. A word that
 * may be a secret (a token, a client secret, a JWT, a PEM) is never echoed: its shape is named instead.
 */
import type { Command } from "commander";
import { hiddenValue, secretShape } from "../check/ids";
import { printable } from "../text/terminalText";
import { isGuid } from "../facts";
import { isStackName } from "../plan/stackFile";

/** What a stray word on the command line looks like. */
export type ArgumentShape = "secret" | "guid" | "url" | "keyVaultSecret" | "pemFile" | "path" | "domain" | "stackName" | "other";

export function argumentShape(value: string): ArgumentShape {
  if (secretShape(value)) return "secret";
  if (isGuid(value)) return "guid";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return "url";
  if (/\.(pem|crt|cer|key|pfx|p12)$/i.test(value)) return "pemFile";
  if (/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]\/[A-Za-z0-9-]{1,127}$/.test(value)) return "keyVaultSecret";
  if (/^[.~]|[\\/]|\.(ya?ml|json|txt|jwt)$/i.test(value)) return "path";
  if (/^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/i.test(value)) return "domain";
  if (isStackName(value)) return "stackName";
  return "other";
}

/** The word as a message shows it: quoted, or, when it may be a secret, what it looks like and nothing of it. */
export function describeArgument(value: string): string {
  const hidden = hiddenValue(value);
  if (hidden) return hidden;
  const shape = argumentShape(value);
  const quoted = JSON.stringify(value);
  return shape === "guid" ? `the GUID ${quoted}` : shape === "url" ? `the URL ${quoted}` : shape === "path" || shape === "pemFile" ? `the path ${quoted}` : quoted;
}

/**
 * Where a command takes what people try to pass it as an argument, by shape; `other` for the rest. A command with
 * no positional arguments lists here what it does take instead.
 */
export type ArgumentAdvice = Partial<Record<ArgumentShape, string>> & { readonly other: string };

export interface UsageProblem {
  readonly message: string;
  readonly remedy: string;
}

/** `plan`, `fleet up`: the command as typed after the program's name. */
function commandName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** The switch (an option that takes no value) spelled `flag`, if the command has one. */
function switchNamed(command: Command, flag: string | undefined): string | undefined {
  if (flag === undefined) return undefined;
  const option = command.options.find((o) => o.long === flag || o.short === flag);
  // A switch takes no value: `--policy`, and its negated form too (`--no-probe`).
  return option && !option.required && !option.optional ? (option.long ?? flag) : undefined;
}

/** The command line as the program received it (commander keeps it on the root command). */
function rawArgs(command: Command): readonly string[] {
  let root = command;
  while (root.parent) root = root.parent;
  return (root as Command & { rawArgs?: string[] }).rawArgs ?? process.argv;
}

/** A value given to a switch, right after it: `--policy ./pack`. */
function valueAfterSwitch(command: Command, value: string): UsageProblem | undefined {
  const args = rawArgs(command);
  const at = args.lastIndexOf(value);
  const flag = switchNamed(command, at > 0 ? args[at - 1] : undefined);
  if (!flag) return undefined;
  return {
    message: `${flag} takes no value, and ${describeArgument(value)} followed it`,
    remedy: `Write ${flag} alone: it is on when present.${command.registeredArguments.length === 0 ? ` ${commandName(command)} takes no arguments.` : ""}`,
  };
}

/**
 * The first argument `command` cannot take, explained; undefined when every argument has its place. A command with a
 * variadic list of stack names takes any stack name (whether the stack exists is the fleet's to say); it refuses a
 * secret and a value that followed a switch.
 */
export function extraArgumentProblem(command: Command, advice: ArgumentAdvice): UsageProblem | undefined {
  const declared = command.registeredArguments;
  const variadic = declared.length > 0 && declared[declared.length - 1]!.variadic;
  const extra = variadic ? command.args.slice(declared.length - 1) : command.args.slice(declared.length);
  for (const value of extra) {
    const shape = argumentShape(value);
    if (variadic && shape !== "secret" && isStackName(value)) continue;
    const afterSwitch = valueAfterSwitch(command, value);
    if (afterSwitch) return afterSwitch;
    const name = commandName(command);
    const message = variadic ? `${name} takes stack names, and got ${describeArgument(value)}` : `${name} takes no arguments, and got ${describeArgument(value)}`;
    return { message, remedy: advice[shape] ?? advice.other };
  }
  return undefined;
}

/** A secret that commander took for an option (a PEM starts with dashes): named by its shape, as an argument would be. */
export function secretAsOption(command: Command, unknownOption: string, advice: ArgumentAdvice | undefined): UsageProblem | undefined {
  const hidden = /^--?[A-Za-z]/.test(unknownOption) ? undefined : hiddenValue(unknownOption);
  if (!hidden || !advice) return undefined;
  return { message: `${commandName(command)} takes no arguments, and got ${hidden}`, remedy: advice.secret ?? advice.other };
}

/** `--policy=./pack`: commander calls it an unknown option; it is a value given to a switch. */
export function valueGivenToSwitch(command: Command, unknownOption: string): UsageProblem | undefined {
  const [flag, ...rest] = unknownOption.split("=");
  const named = switchNamed(command, flag);
  if (!named || rest.length === 0) return undefined;
  return {
    message: `${named} takes no value, and ${describeArgument(rest.join("="))} was given to it`,
    remedy: `Write ${named} alone: it is on when present.`,
  };
}

/**
 * Commander's own message with what it quotes of the command line made printable, and anything that may be a
 * secret replaced by what it looks like.
 */
export function maskSecrets(message: string): string {
  return message.replace(/'([^']*)'/g, (_quoted, inner: string) => {
    const [head, ...rest] = inner.split("=");
    const hiddenAfter = head?.startsWith("-") && rest.length > 0 ? hiddenValue(rest.join("=")) : undefined;
    if (hiddenAfter) return `'${head}=…' (${hiddenAfter})`;
    const hidden = hiddenValue(inner);
    // What the user typed stays on its line; commander's own layout (a "Did you mean" line) keeps its newline.
    return hidden ? `(${hidden})` : `'${printable(inner)}'`;
  });
}

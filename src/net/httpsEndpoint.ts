/**
 * An endpoint a command is pointed at (`--authority-host`, `--exchange-endpoint`, ...): tokens and secrets travel
 * there, so only an https URL is taken. Pure: the commands turn a problem into their own usage error.
 */
import { printable } from "../text/terminalText";

/** What is wrong with `value` for the flag `name`, as a message and its fix; undefined when it is an https URL. */
export function httpsEndpointProblem(name: string, value: string, example: string): readonly [message: string, fix: string] | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [`${name} ${JSON.stringify(value)} is not a URL`, `Pass an https URL, for example ${example}.`];
  }
  if (url.protocol !== "https:") return [`${name} ${printable(value)} is not https`, "Only https endpoints are accepted: tokens and secrets never travel in the clear."];
  return undefined;
}

/**
 * The project's words for schema issues: a field is "required for kind github", never zod's "Invalid input".
 * Passed per parse (`safeParse(value, { error: schemaWording(...) })`), so messages a schema sets itself still win.
 */
import type { core } from "zod";

const WHAT: Record<string, string> = { string: "text", boolean: "true or false", number: "a number", object: "a map", array: "a list" };

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "a map" : typeof value === "string" ? "text" : `${typeof value} ${JSON.stringify(value)}`;
}

/** `context` says what needs the field ("kind github", "adopt"), so a missing one names who asks for it. */
export function schemaWording(context: string): (issue: core.$ZodRawIssue) => string {
  return (issue) => {
    switch (issue.code) {
      case "invalid_type":
        return issue.input === undefined ? `is required for ${context}` : `must be ${WHAT[issue.expected] ?? issue.expected}, not ${shapeOf(issue.input)}`;
      case "too_small":
        return "must not be empty";
      case "too_big":
        return `is too long (${String(issue.maximum)} at most)`;
      case "invalid_value":
        return `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
      case "invalid_format":
        return `is not a valid ${issue.format}`;
      default:
        return `is not valid for ${context}`;
    }
  };
}

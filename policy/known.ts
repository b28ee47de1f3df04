/**
 * During `pulumi preview` the engine hands policies values that are not known yet (an object id Entra has not
 * assigned); reading one throws @pulumi/policy's UnknownValueError, which turns the whole policy into a "can't run
 * during preview" note. The pack reads through `known` instead: a value it cannot know is treated as "cannot tell",
 * and each policy decides what that means (usually: stay silent rather than guess).
 */

/** UnknownValueError is not in @pulumi/policy's typings; it carries the sentinel it met. */
function isUnknownValueError(error: unknown): boolean {
  return error instanceof Error && "unknownTypeSentinel" in error;
}

/** Evaluates `read`; undefined when it touches a value that is unknown during preview. */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (isUnknownValueError(error)) return undefined;
    throw error;
  }
}

/** A string property, or undefined when it is absent, unknown or not a string. */
export function knownString(read: () => unknown): string | undefined {
  const value = known(read);
  return typeof value === "string" ? value : undefined;
}

/** A number property (the engine may pass numbers as strings in some paths), or undefined. */
export function knownNumber(read: () => unknown): number | undefined {
  const value = known(read);
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

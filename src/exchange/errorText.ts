/**
 * Exchange hides an error's human text in `error.innererror.internalexception.message` or
 * `error.details[0].message`; a 403 body may be NUL bytes (FACTS.md).
 */

/** The human error text of an Exchange error body, or undefined when it holds none (empty, NUL bytes, HTML). */
export function exchangeErrorText(bodyText: string): string | undefined {
  const cleaned = bodyText.replace(/\u0000/g, "").trim();
  if (cleaned.length === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(cleaned);
  } catch {
    return undefined;
  }
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as {
    message?: unknown;
    innererror?: { internalexception?: { message?: unknown }; message?: unknown };
    details?: Array<{ message?: unknown }>;
  };
  const candidates = [e.innererror?.internalexception?.message, Array.isArray(e.details) ? e.details[0]?.message : undefined, e.innererror?.message, e.message];
  const found = candidates.find((c): c is string => typeof c === "string" && c.trim().length > 0);
  return found?.trim();
}

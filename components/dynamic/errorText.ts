/**
 * The text a dynamic provider fails with. The engine prints it under the resource, so it says which resource kind
 * failed (`prefix`), what went wrong and, when the library gave one, the fix on its own line. Libraries throw errors
 * with `message` and `remedy` (src/check's CheckSetupError, the Exchange RBAC provider's ExchangeRbacError).
 */
export function providerErrorText(prefix: string, error: unknown): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as { message?: unknown; remedy?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  const remedy = typeof e.remedy === "string" && e.remedy.length > 0 ? `\n${e.remedy}` : "";
  return `${prefix}: ${message}${remedy}`;
}

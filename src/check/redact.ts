/**
 * The last line of defence: whatever text leaves the check (details, remedies, progress, errors) passes through
 * here. Known secret values are replaced, and so is anything shaped like a JWT or a PEM private key.
 */
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

export class Redactor {
  private readonly values = new Set<string>();

  /** Remembers a secret value (secrets shorter than 6 characters are ignored: replacing them would garble text). */
  add(value: string | undefined): void {
    if (value && value.length >= 6) this.values.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join("[redacted]");
    return out.replace(PEM_KEY, "[redacted private key]").replace(JWT_SHAPE, "[redacted token]");
  }
}

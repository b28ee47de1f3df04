/**
 * The last line of defence: whatever text leaves the check, the fleet or the workflows' scripts (details, remedies,
 * progress, errors, Pulumi's output) passes through here. Known secret values are replaced, and so is anything
 * shaped like a secret: a JWT, a PEM private key, an Entra client secret, a bearer token, a SAS signature.
 */
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** A private key, up to its END line or, cut short (a truncated message), to the end of the text. */
const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const PEM_BEGIN = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z ]*PRIVATE KEY-----/;
/**
 * An Entra ID client secret: three characters, a digit, `Q~`, then 31 to 34 more. Inferred from secret scanners, no
 * Microsoft page states the format: Microsoft's own security-utilities rule SEC101/156 (AadClientAppSecret:
 * `[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{34}`) and gitleaks' `azure-ad-client-secret` (a digit before `Q~`, 31-34 after).
 */
const CLIENT_SECRET_SHAPE = /(?<![A-Za-z0-9_~.+/=-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.+/=-])/g;
/**
 * A bearer token (`Authorization: Bearer <token>`): 16 characters or more with a digit, so prose ("Bearer
 * authentication") stays. Another scheme's credential after `Authorization:` goes whole.
 */
const BEARER = /\b(Bearer\s+)(?=[A-Za-z0-9._~+/-]{16})(?=[A-Za-z._~+/-]*\d)[A-Za-z0-9._~+/-]+=*/g;
const AUTHORIZATION_HEADER = /\b(Authorization["']?\s*[:=]\s*["']?)(?:Basic|Digest|SharedKey|SharedAccessSignature)\s+[^\s"',]+/gi;
/** An Azure Storage SAS signature (`sig=` in a query string) and a connection string's `AccountKey=`. */
const SAS_SIGNATURE = /([?&;]sig=)[^&\s"'<>]+/gi;
const ACCOUNT_KEY = /\b((?:AccountKey|SharedAccessKey)=)[A-Za-z0-9+/]{20,}={0,2}/g;
/** A form-encoded token request's secret (Entra's error pages and proxies can echo the request). */
const FORM_SECRET = /\b((?:client_secret|client_assertion|refresh_token|password)=)[^&\s"'<>]+/gi;
/** DER in base64, long enough to be a key or a PKCS#12 (PFX) file rather than an id. */
const DER_BASE64 = /\bMII[A-Za-z0-9+/]{100,}={0,2}/g;

/** Secrets shorter than this are ignored: replacing them would garble ordinary words. */
const MIN_SECRET = 6;
/** Lines of a multi-line secret (a PEM body) are remembered one by one when at least this long. */
const MIN_SECRET_LINE = 12;

export class Redactor {
  private readonly values = new Set<string>();
  /** `values`, longest first (so a secret is replaced before any shorter one inside it); rebuilt after `add`. */
  private ordered: string[] | undefined;

  /**
   * Remembers a secret value: as it is, as it reads inside a JSON string, and line by line when it spans lines
   * (a PEM key split across two chunks of output is still found). Values under 6 characters are ignored.
   */
  add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET) return;
    this.values.add(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) this.values.add(escaped);
    if (/[\r\n]/.test(value)) {
      for (const line of value.split(/\r?\n/)) if (line.trim().length >= MIN_SECRET_LINE) this.values.add(line.trim());
    }
    this.ordered = undefined;
  }

  /** `add` for each value. */
  addAll(values: Iterable<string>): void {
    for (const value of values) this.add(value);
  }

  redact(text: string): string {
    this.ordered ??= [...this.values].sort((a, b) => b.length - a.length);
    let out = text;
    for (const value of this.ordered) if (out.includes(value)) out = out.split(value).join("[redacted]");
    return out
      .replace(PEM_KEY, "[redacted private key]")
      .replace(JWT_SHAPE, "[redacted token]")
      .replace(BEARER, "$1[redacted]")
      .replace(AUTHORIZATION_HEADER, "$1[redacted]")
      .replace(SAS_SIGNATURE, "$1[redacted]")
      .replace(ACCOUNT_KEY, "$1[redacted]")
      .replace(FORM_SECRET, "$1[redacted]")
      .replace(CLIENT_SECRET_SHAPE, "[redacted client secret]")
      .replace(DER_BASE64, "[redacted]");
  }
}

/**
 * Redacts text that arrives in pieces (a command's output as it streams): whole lines only, so a secret split
 * across two pieces is still found; the lines of a private key are dropped from its BEGIN line to its END line.
 * `write` returns what can be shown now, `end` the rest.
 */
export class RedactingLines {
  private pending = "";
  private inKey = false;

  constructor(
    private readonly redactor: Redactor,
    /** A line longer than this (progress dots without a newline) is let through in parts. */
    private readonly maxLine = 64 * 1024,
  ) {}

  write(chunk: string): string {
    this.pending += chunk;
    let out = "";
    let newline = this.pending.indexOf("\n");
    while (newline !== -1) {
      out += this.line(this.pending.slice(0, newline + 1));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf("\n");
    }
    if (this.pending.length > this.maxLine) {
      out += this.line(this.pending);
      this.pending = "";
    }
    return out;
  }

  end(): string {
    const rest = this.pending.length > 0 ? this.line(this.pending) : "";
    this.pending = "";
    this.inKey = false;
    return rest;
  }

  /** One line, its line break kept (a key cut short at the line's end would otherwise take the break with it). */
  private line(whole: string): string {
    const text = whole.replace(/\r?\n$/, "");
    const eol = whole.slice(text.length);
    if (this.inKey) {
      const end = text.match(PEM_END);
      if (!end) return "";
      this.inKey = false;
      const rest = text.slice(end.index! + end[0].length);
      return rest.trim().length > 0 ? `${this.redactor.redact(rest)}${eol}` : "";
    }
    const begin = text.match(PEM_BEGIN);
    if (begin && !PEM_END.test(text.slice(begin.index!))) this.inKey = true;
    return `${this.redactor.redact(text)}${eol}`;
  }
}

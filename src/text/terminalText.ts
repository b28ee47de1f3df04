/**
 * Text the tool did not write (a token's claims, Entra's, Exchange's, Graph's and Pulumi's messages, values read
 * from a stack) is shown, never obeyed. A control character in it could clear or retitle the terminal (ESC and
 * OSC sequences, and their one-byte C1 forms), overwrite what was printed before it (CR, backspace), or make a line
 * read differently from what it holds (bidirectional overrides such as U+202E). Each such character is printed as
 * a visible escape (`\x1b`, `\r`, `\u202e`); everything else, any language and emoji included, passes unchanged.
 * Pure, and imports nothing: the check, the CLI and the fleet all use it.
 */

/**
 * C0 controls, DEL and C1 controls; the Arabic letter mark, the left-to-right and right-to-left marks, the line
 * and paragraph separators, and the bidirectional embeddings, overrides and isolates (Unicode's bidi controls).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same minus C0 controls, which JSON.stringify escapes itself (DEL is harmless there but escaped too). */
const UNSAFE_AFTER_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `\x1b`, `\r`, `\u202e`: how one unsafe character is shown. */
function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

export interface PrintableOptions {
  /**
   * Keep `\n` as a line break: for a block whose lines the tool laid out itself (a list of config issues). By
   * default a newline is escaped too, so untrusted text stays on the one line the layout gives it.
   */
  readonly newlines?: boolean;
}

/** `text` with every control, separator and bidi control character written as a visible escape. */
export function printable(text: string, options: PrintableOptions = {}): string {
  return text.replace(options.newlines ? UNSAFE_BUT_NEWLINE : UNSAFE, visible);
}

/**
 * JSON.stringify for output that may reach a terminal: still valid JSON that parses back to the same value (no
 * double escaping), with the characters JSON leaves raw (C1 controls, bidi controls, U+2028/U+2029) as `\uXXXX`.
 */
export function printableJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(UNSAFE_AFTER_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Text the tool did not write is shown, never obeyed: every control character printed as a visible escape. */
import { printable, printableJson } from "../../src/text/terminalText";

/** What a terminal would act on: C0 (newline aside), DEL, C1, and the bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const HOSTILE = [
  ["clear the screen (ESC[2J)", "aud = \u001b[2Jhttps://outlook.office365.com", "aud = \\x1b[2Jhttps://outlook.office365.com"],
  ["retitle the terminal (OSC 0 ; title BEL)", "\u001b]0;pwned\u0007AADSTS7000215", "\\x1b]0;pwned\\x07AADSTS7000215"],
  ["overwrite the line (CR)", "invalid secret\rok: all fine", "invalid secret\\rok: all fine"],
  ["reverse what is read (U+202E)", "user \u202Egnp.exe", "user \\u202egnp.exe"],
  ["a one-byte CSI (C1)", "\u009b2J", "\\x9b2J"],
  ["backspace and DEL", "abc\b\b\u007f", "abc\\x08\\x08\\x7f"],
  ["a bidi isolate and a line separator", "x\u2067y\u2028z", "x\\u2067y\\u2028z"],
] as const;

describe("printable", () => {
  test.each(HOSTILE)("%s: escaped, still readable", (_name, text, shown) => {
    expect(printable(text)).toBe(shown);
    expect(printable(text)).not.toMatch(RAW_CONTROL);
  });

  test("text without controls passes unchanged: any language, emoji, quotes and backslashes", () => {
    const text = 'Exchange a refusé « Get-Mailbox » — 権限がありません 🚫 "C:\\path" | 50%';
    expect(printable(text)).toBe(text);
  });

  test("a newline is escaped on a line of its own, kept where the tool laid out the lines", () => {
    expect(printable("one\ntwo\r\n")).toBe("one\\ntwo\\r\\n");
    expect(printable("one\ntwo\u001b[2J", { newlines: true })).toBe("one\ntwo\\x1b[2J");
  });
});

describe("printableJson", () => {
  test.each(HOSTILE)("%s: valid JSON that parses back to the very same value (nothing double-escaped)", (_name, text) => {
    const line = printableJson({ detail: text, list: [text] });
    expect(line).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(line)).toEqual({ detail: text, list: [text] });
  });

  test("indentation is kept (plan --json)", () => {
    expect(printableJson({ a: "\u202e" }, 2)).toBe('{\n  "a": "\\u202e"\n}');
  });
});

/**
 * src/text/redact.ts: known secrets in every form they are printed in, and text shaped like a secret that nobody
 * told the redactor about. Each case plants the secret and asserts it is gone and the marker is there; prose that
 * only resembles a secret stays as it was.
 */
import { RedactingLines, Redactor } from "../../src/text/redact";

const KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END PRIVATE KEY-----\n";
const CLIENT_SECRET = "Xk48Q~Zq3vJm.R1_tq0xUyP~iW9nB5sLc7dEfGhI";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJlLXBhcnQ";

describe("Redactor: known values", () => {
  test("a value is replaced as it is, inside a JSON string, and line by line when it spans lines", () => {
    const r = new Redactor();
    r.add(KEY);
    r.add('pa"ss\\word-1');
    const json = JSON.stringify({ key: KEY, password: 'pa"ss\\word-1' });
    const out = r.redact(`${json}\nhalf a key: ${KEY.split("\n")[2]}`);
    expect(out).not.toMatch(/MzEfYyjiWA4R4|pa\\"ss|MIIEvQIBADANBgkq/);
    expect(out).toContain("[redacted]");
  });

  test("a longer secret is replaced before a shorter one inside it (no remnant of the longer one)", () => {
    const r = new Redactor();
    r.add("inner-secret");
    r.add("outer-inner-secret-tail");
    expect(r.redact("x outer-inner-secret-tail y inner-secret z")).toBe("x [redacted] y [redacted] z");
  });

  test("values under 6 characters are not replaced (ordinary words would be)", () => {
    const r = new Redactor();
    r.add("abc");
    r.addAll(["", "12345"]);
    expect(r.redact("abc 12345")).toBe("abc 12345");
  });
});

describe("Redactor: shapes nobody announced", () => {
  const r = new Redactor();
  test.each([
    ["a JWT", `token ${JWT} end`, "token [redacted token] end", JWT],
    ["a PEM private key", `key ${KEY}after`, "key [redacted private key]\nafter", "MIIEvQ"],
    ["a PEM key cut short (a truncated message)", `key ${KEY.slice(0, 80)}`, "key [redacted private key]", "MIIEvQ"],
    ["an RSA PEM key", "-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----", "[redacted private key]", "MIIabc"],
    ["an Entra client secret", `AADSTS7000215: Invalid client secret provided: '${CLIENT_SECRET}'.`, "AADSTS7000215: Invalid client secret provided: '[redacted client secret]'.", CLIENT_SECRET],
    ["a bearer token", "Authorization: Bearer pul-0123456789abcdef0123456789abcdef", "Authorization: Bearer [redacted]", "pul-0123"],
    ["a Basic credential", "authorization: Basic dXNlcjpwYXNzd29yZA==", "authorization: [redacted]", "dXNlcjpw"],
    ["a SAS signature", "GET https://acct.blob.core.windows.net/c/b?sv=2024-05-04&sp=r&sig=AbC%2Fdef123%3D&se=x", "GET https://acct.blob.core.windows.net/c/b?sv=2024-05-04&sp=r&sig=[redacted]&se=x", "AbC%2Fdef"],
    ["a storage account key", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[redacted];", "Zm9vYmFy"],
    ["a token request's form body", "body: grant_type=client_credentials&client_id=x&client_secret=hunter2-but-longer&scope=y", "body: grant_type=client_credentials&client_id=x&client_secret=[redacted]&scope=y", "hunter2"],
    ["a PFX in base64", `pfx MII${"A".repeat(120)}== end`, "pfx [redacted] end", "AAAAAAAAAA"],
  ])("%s", (_what, text, expected, secret) => {
    const out = r.redact(text);
    expect(out).toBe(expected);
    expect(out).not.toContain(secret);
  });

  test.each([
    ["prose about bearer tokens", "Exchange wants a Bearer token: Bearer authentication failed"],
    ["ids, hosts and thumbprints", "tenant 6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7 client 3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7 https://login.microsoftonline.com thumbprint 0123456789ABCDEF0123456789ABCDEF01234567"],
    ["Pulumi's own masking", "clientSecret: [secret]"],
    ["a query string without a signature", "https://x.example/?sv=1&signature-free=yes"],
  ])("leaves %s alone", (_what, text) => expect(r.redact(text)).toBe(text));
});

describe("RedactingLines: output that arrives in pieces", () => {
  const feed = (r: Redactor, pieces: readonly string[]): string => {
    const stream = new RedactingLines(r);
    return pieces.map((p) => stream.write(p)).join("") + stream.end();
  };

  test("a known secret split across two pieces is still replaced; nothing is lost or reordered", () => {
    const r = new Redactor();
    r.add("s3cr3t-value-for-the-stream");
    const text = "Updating (dev):\nerror: the value s3cr3t-value-for-the-stream was refused\nResources: 1 failed\n";
    for (let cut = 1; cut < text.length; cut += 7) {
      const out = feed(r, [text.slice(0, cut), text.slice(cut)]);
      expect(out).toBe("Updating (dev):\nerror: the value [redacted] was refused\nResources: 1 failed\n");
    }
  });

  test("a private key printed line by line is dropped from BEGIN to END, whatever the pieces", () => {
    const r = new Redactor();
    const text = `before\n  ${KEY}after\n`;
    for (const size of [1, 5, 17, 64, 1000]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      const out = feed(r, pieces);
      expect(out).toBe("before\n  [redacted private key]\nafter\n");
    }
  });

  test("a key never closed (the output stops) is dropped to the end; the last unterminated line is flushed by end()", () => {
    const r = new Redactor();
    expect(feed(r, ["x\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw\nMzEfYyjiWA4R4/M2bS1"])).toBe("x\n[redacted private key]\n");
    expect(feed(r, ["no newline at the end ", JWT.slice(0, 30), JWT.slice(30)])).toBe("no newline at the end [redacted token]");
  });

  test("a line longer than the limit (progress dots) is let through in parts, still redacted", () => {
    const stream = new RedactingLines(new Redactor(), 50);
    const out = stream.write(`${".".repeat(60)}`) + stream.write(` ${JWT}\n`) + stream.end();
    expect(out).toBe(`${".".repeat(60)} [redacted token]\n`);
  });
});

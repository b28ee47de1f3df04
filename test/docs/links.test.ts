/**
 * Links between the docs resolve: every relative link in README.md and docs/*.md names a file that exists, and its
 * `#anchor` is a heading of that file by GitHub's slug rules. A section that moves takes its anchor with it, so a link
 * left pointing at the old file fails here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brokenLinks, brokenLinksInRepository, docs, headings, readDoc, relativeLinks, ROOT, slugs, type Doc } from "../support/docs";

/** Every file under these folders of the repository (node_modules and dist never). */
function filesUnder(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    statSync(join(ROOT, dir)).isDirectory()
      ? readdirSync(join(ROOT, dir)).filter((name) => name !== "node_modules").flatMap((name) => filesUnder(`${dir}/${name}`))
      : [dir],
  );
}

/**
 * `docs/x.md` in code, messages and workflow comments, with the section quoted after it when there is one
 * (`docs/rotation.md, "Rotating the certificate"`); a quoted `${...}` is filled in at run time and skipped.
 */
function docReferences(text: string): { doc: string; heading?: string }[] {
  return [...text.matchAll(/docs\/([\w.-]+\.md)(?:,\s*\\?"([^"\\]+)\\?")?/g)].map((m) => ({ doc: `docs/${m[1]}`, heading: m[2]?.includes("${") ? undefined : m[2] }));
}

describe("links between the docs", () => {
  it("every relative link and anchor in README.md and docs/*.md resolves", () => {
    const all = docs();
    expect(all.map((d) => d.file)).toContain("docs/configuration.md");
    // Found at all: the README's map alone links every docs file.
    expect(all.flatMap(relativeLinks).length).toBeGreaterThan(60);
    expect(brokenLinksInRepository(all)).toEqual([]);
  });
});

describe("the link check catches what it should", () => {
  const files: Record<string, string> = {
    "README.md": [
      "# Top",
      "[ok](docs/a.md) [ok](docs/a.md#security--compliance) [ok](#top) [ok](docs/a.md#federatedcredentials-1)",
      "[gone](docs/missing.md) [no such heading](docs/a.md#nowhere) [heading only in code](docs/a.md#not-a-heading)",
      "[web](https://example.com/x#y) `[in code](docs/missing.md)`",
      "```sh",
      "[in a block](docs/missing.md)",
      "```",
      "[ref]: docs/also-missing.md",
    ].join("\n"),
    "docs/a.md": [
      "---",
      "title: A",
      "---",
      "# Security & Compliance",
      "## `federatedCredentials`",
      "## `federatedCredentials`",
      "[up](../README.md#top) [out](../../elsewhere.md)",
      "```sh",
      "# Not a heading",
      "```",
    ].join("\n"),
  };
  const all: Doc[] = Object.entries(files).map(([file, text]) => ({ file, text }));
  const broken = brokenLinks(all, (file) => file in files, (file) => files[file]!);

  it("names a missing file, a missing anchor, an anchor that is only a comment in code, and a link out of the repository", () => {
    expect(broken).toEqual([
      "README.md:3: docs/missing.md: no file docs/missing.md",
      "README.md:3: docs/a.md#nowhere: no heading in docs/a.md has the anchor #nowhere",
      "README.md:3: docs/a.md#not-a-heading: no heading in docs/a.md has the anchor #not-a-heading",
      "README.md:8: docs/also-missing.md: no file docs/also-missing.md",
      "docs/a.md:7: ../../elsewhere.md: leaves the repository",
    ]);
  });

  it("slugs headings as GitHub does: lower case, punctuation dropped, spaces to hyphens, repeats numbered", () => {
    expect(slugs(files["docs/a.md"]!)).toEqual(["security--compliance", "federatedcredentials", "federatedcredentials-1"]);
    expect(slugs("# Moving to GitHub's immutable subjects\n## The deploying identity (bootstrap/)\n### MSP: one app, many tenants\n#### snake_case and Ünïcode")).toEqual([
      "moving-to-githubs-immutable-subjects",
      "the-deploying-identity-bootstrap",
      "msp-one-app-many-tenants",
      "snake_case-and-ünïcode",
    ]);
  });
});

describe("the code's references to the docs", () => {
  const sources = filesUnder("src", "components", "bootstrap", "policy", ".github", ".ci", "esc", "index.ts").filter((f) => /\.(ts|cjs|js|ya?ml)$|^\.ci\/run$/.test(f));
  const references = sources.flatMap((file) => docReferences(readFileSync(join(ROOT, file), "utf8")).map((ref) => ({ file, ...ref })));

  it("name a docs file that exists, and a section that is a heading of it", () => {
    expect(references.length).toBeGreaterThan(15);
    const existing = new Set(docs().map((d) => d.file));
    const broken = references.filter(({ doc, heading }) => !existing.has(doc) || (heading !== undefined && !headings(readDoc(doc)).some((h) => h.text === heading)));
    expect(broken).toEqual([]);
  });

  it("the rule reads a quoted section, escaped or not, and skips one filled in at run time", () => {
    expect(docReferences('(docs/a.md, "Moving") docs/b.md: \\"Drift\\" (see docs/c.md, "${section}") docs/d.md, \\"Exchange RBAC resources\\"')).toEqual([
      { doc: "docs/a.md", heading: "Moving" },
      { doc: "docs/b.md", heading: undefined },
      { doc: "docs/c.md", heading: undefined },
      { doc: "docs/d.md", heading: "Exchange RBAC resources" },
    ]);
  });
});

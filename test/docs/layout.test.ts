/**
 * The docs' layout (issue 15): the README is a front door under 250 lines whose map lists every docs file; docs/
 * follows the Pulumi Registry's layout (_index.md and installation-configuration.md with its front matter); every
 * heading is in one file only, so a test that finds its text by heading finds one place.
 */
import { docs, headings, readDoc } from "../support/docs";

const all = docs();
const inDocs = all.filter((d) => d.file.startsWith("docs/"));

/** YAML front matter's `key: value` lines, or {} without front matter. */
function frontMatter(text: string): Record<string, string> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  return m ? Object.fromEntries(m[1]!.split("\n").map((line) => [line.slice(0, line.indexOf(":")).trim(), line.slice(line.indexOf(":") + 1).trim()])) : {};
}

describe("the docs' layout", () => {
  it("keeps the README under 250 lines", () => {
    expect(readDoc("README.md").split("\n").length).toBeLessThan(250);
  });

  it("has the Registry's two pages, each with title, meta_desc and layout: package", () => {
    for (const file of ["docs/_index.md", "docs/installation-configuration.md"]) {
      const matter = frontMatter(readDoc(file));
      expect({ file, layout: matter.layout, title: Boolean(matter.title), meta_desc: Boolean(matter.meta_desc) }).toEqual({ file, layout: "package", title: true, meta_desc: true });
    }
  });

  it("the README's map and _index.md link every docs file", () => {
    const readme = readDoc("README.md");
    const index = readDoc("docs/_index.md");
    for (const { file } of inDocs) {
      expect({ file, inReadme: readme.includes(`](${file})`) }).toEqual({ file, inReadme: true });
      if (file !== "docs/_index.md") expect({ file, inIndex: index.includes(`](${file.slice("docs/".length)})`) }).toEqual({ file, inIndex: true });
    }
  });

  it("gives each docs file one title, and each heading one home", () => {
    for (const { file, text } of inDocs.filter((d) => d.file !== "docs/_index.md")) {
      expect({ file, titles: headings(text).filter((h) => h.level === 1).length }).toEqual({ file, titles: 1 });
    }
    const homes = new Map<string, string[]>();
    for (const { file, text } of all) for (const h of headings(text)) homes.set(h.text, [...(homes.get(h.text) ?? []), file]);
    expect([...homes].filter(([, files]) => files.length > 1)).toEqual([]);
  });
});

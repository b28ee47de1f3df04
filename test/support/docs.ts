/**
 * The project's docs: README.md (the front door) and docs/*.md (one topic a file). Tests that keep the docs true find
 * the text they check by its heading, in whichever file holds it, so a section can move between files and keep its
 * test. Also GitHub's heading slugs and the relative links between the files, for the link test.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";

export const ROOT = join(__dirname, "..", "..");

/** One Markdown file, its path relative to the repository root (posix separators) and its text. */
export interface Doc {
  file: string;
  text: string;
}

/** README.md and every docs/*.md, in that order. */
export function docs(root: string = ROOT): Doc[] {
  const dir = join(root, "docs");
  const inDocs = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`) : [];
  return ["README.md", ...inDocs].map((file) => ({ file, text: readFileSync(join(root, file), "utf8") }));
}

/** One file's text, by its path relative to the repository root. */
export function readDoc(file: string): string {
  return readFileSync(join(ROOT, file), "utf8");
}

/** Every doc's text, one after another: for checks that hold wherever the text lives. */
export function allDocsText(): string {
  return docs().map((d) => d.text).join("\n");
}

export interface Heading {
  level: number;
  text: string;
  /** Index of the heading's line in the file's lines. */
  line: number;
}

/**
 * The lines that are prose: not in YAML front matter, not in a fenced code block (a `# comment` in a sh block is no
 * heading, and a link in one is no link). Code lines come back as null, so indices stay line numbers.
 */
export function proseLines(text: string): (string | null)[] {
  const lines = text.split("\n");
  const out: (string | null)[] = [];
  let fence: string | null = null;
  let frontMatter = lines[0] === "---";
  for (const [i, line] of lines.entries()) {
    if (frontMatter) {
      out.push(null);
      if (i > 0 && line === "---") frontMatter = false;
      continue;
    }
    const opening = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === null && opening) {
      fence = opening[1]!;
      out.push(null);
    } else if (fence !== null) {
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, "") === "") fence = null;
      out.push(null);
    } else {
      out.push(line);
    }
  }
  return out;
}

/** ATX headings (`# ...` to `###### ...`) outside code and front matter. */
export function headings(text: string): Heading[] {
  return proseLines(text).flatMap((line, i) => {
    const m = line === null ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    return m ? [{ level: m[1]!.length, text: m[2]!, line: i }] : [];
  });
}

/** The one doc holding a heading with exactly this text; throws when none or several do. */
export function fileWithHeading(heading: string, all: Doc[] = docs()): Doc {
  const holding = all.filter((d) => headings(d.text).some((h) => h.text === heading));
  if (holding.length !== 1) throw new Error(`heading "${heading}" is in ${holding.length} docs (${holding.map((d) => d.file).join(", ") || "none"}), not in exactly one`);
  return holding[0]!;
}

/**
 * A heading's section, heading line included: to the next heading of its level or higher, subsections included; with
 * `own`, to the next heading of any level (the text before its first subsection).
 */
export function section(heading: string, options: { own?: boolean; all?: Doc[] } = {}): string {
  const doc = fileWithHeading(heading, options.all);
  const all = headings(doc.text);
  const at = all.findIndex((h) => h.text === heading);
  const start = all[at]!;
  const next = all.slice(at + 1).find((h) => options.own || h.level <= start.level);
  const lines = doc.text.split("\n");
  return lines.slice(start.line, next ? next.line : lines.length).join("\n");
}

/**
 * GitHub's anchors for a file's headings: each heading's text as rendered (code spans and links reduced to their
 * text, `*` emphasis dropped), lower-cased, every character but a letter, digit, mark, '-', '_' or space removed, each
 * space a '-'; a repeated slug in one file gets -1, -2, ... (github-slugger, which github.com's rendering follows).
 */
export function slugs(text: string): string[] {
  const seen = new Map<string, number>();
  return headings(text).map((h) => {
    const rendered = h.text
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/`([^`]*)`/g, "$1")
      .replace(/\*/g, "");
    const base = rendered.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  });
}

export interface Link {
  file: string;
  line: number;
  target: string;
}

/** Relative links (inline `[text](target)`, images, reference definitions) in prose; code spans and blocks skipped. */
export function relativeLinks(doc: Doc): Link[] {
  return proseLines(doc.text).flatMap((line, i) => {
    if (line === null) return [];
    const prose = line.replace(/(`+)[\s\S]*?\1/g, "");
    const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
    const reference = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)].map((m) => m[1]!);
    return [...inline, ...reference]
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => ({ file: doc.file, line: i + 1, target }));
  });
}

/**
 * Every relative link that does not resolve: its file (relative to the linking file) does not exist, or its `#anchor`
 * is no heading slug of the target. `exists` and `read` see paths relative to the repository root.
 */
export function brokenLinks(all: Doc[], exists: (file: string) => boolean, read: (file: string) => string): string[] {
  return all.flatMap((doc) =>
    relativeLinks(doc).flatMap(({ line, target }) => {
      const where = `${doc.file}:${line}: ${target}`;
      const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
      const file = pathPart === "" ? doc.file : posix.normalize(posix.join(posix.dirname(doc.file), decodeURI(pathPart)));
      if (file.startsWith("..")) return [`${where}: leaves the repository`];
      if (!exists(file)) return [`${where}: no file ${file}`];
      if (anchor === undefined) return [];
      if (!file.endsWith(".md")) return [`${where}: an anchor into ${file}, which is not Markdown`];
      const text = file === doc.file ? doc.text : read(file);
      return slugs(text).includes(decodeURIComponent(anchor)) ? [] : [`${where}: no heading in ${file} has the anchor #${anchor}`];
    }),
  );
}

/** brokenLinks over the repository itself. */
export function brokenLinksInRepository(all: Doc[] = docs()): string[] {
  return brokenLinks(all, (file) => existsSync(join(ROOT, file)), (file) => readFileSync(join(ROOT, file), "utf8"));
}

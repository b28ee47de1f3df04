/**
 * Just enough of a bash reader to find the commands a workflow's `run:` script calls: quotes, `$(...)` and `<(...)`
 * (whose insides are commands too), `${...}`, comments, redirections, `&&`/`||`/`|`/`;`/newlines, line
 * continuations, leading assignments and reserved words. Not a shell: the workflows keep their scripts plain, and a
 * construct this reader does not know makes the test fail loudly rather than pass quietly.
 */

export interface SimpleCommand {
  /** Words with quotes removed; a substitution reads as `$(…)`. */
  readonly argv: readonly string[];
}

const RESERVED = new Set(["if", "then", "else", "elif", "fi", "while", "until", "do", "done", "!", "{", "}"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The index just past the `)` closing the substitution whose `(` is at `open`, quotes and nesting respected. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i];
    if (c === "'") {
      i = text.indexOf("'", i + 1);
      if (i < 0) break;
    } else if (c === '"') {
      for (i += 1; i < text.length && text[i] !== '"'; i += 1) if (text[i] === "\\") i += 1;
    } else if (c === "(") depth += 1;
    else if (c === ")") {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced parenthesis in: ${text.slice(open - 1, open + 60)}`);
}

/** The index just past the `}` closing a `${` whose `{` is at `open`. */
function closingBrace(text: string, open: number): number {
  const end = text.indexOf("}", open);
  if (end < 0) throw new Error(`unclosed \${ in: ${text.slice(open - 1, open + 60)}`);
  return end + 1;
}

/** Every simple command of `script`, substitutions' commands included (before the command that holds them). */
export function commandsOf(script: string): SimpleCommand[] {
  const text = script.replace(/\\\r?\n/g, " ");
  const out: SimpleCommand[] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let skipNextWord = false; // the target of a redirection

  const endWord = (): void => {
    if (inWord) {
      if (skipNextWord) skipNextWord = false;
      else words.push(word);
    }
    word = "";
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    let argv = words;
    while (argv.length > 0 && (RESERVED.has(argv[0]!) || ASSIGNMENT.test(argv[0]!))) argv = argv.slice(1);
    if (argv.length > 0 && argv[0] !== "for") out.push({ argv });
    words = [];
    skipNextWord = false;
  };
  const substitution = (open: number): number => {
    const end = closingParen(text, open);
    out.push(...commandsOf(text.slice(open + 1, end - 1)));
    word += "$(…)";
    inWord = true;
    return end;
  };

  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "#" && !inWord) {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${text.slice(i, i + 60)}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i += 1;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\") {
          word += text[i + 1] ?? "";
          i += 2;
        } else if (text[i] === "$" && text[i + 1] === "(") {
          i = substitution(i + 1);
        } else if (text[i] === "$" && text[i + 1] === "{") {
          const end = closingBrace(text, i + 1);
          word += text.slice(i, end);
          i = end;
        } else {
          word += text[i];
          i += 1;
        }
      }
      if (i >= text.length) throw new Error(`unclosed " in: ${script.slice(0, 80)}`);
      i += 1;
    } else if (c === "$" && next === "(") {
      i = substitution(i + 1);
    } else if (c === "$" && next === "{") {
      const end = closingBrace(text, i + 1);
      word += text.slice(i, end);
      inWord = true;
      i = end;
    } else if (c === "<" && next === "(") {
      endWord();
      skipNextWord = false; // `done < <(...)`: the substitution is the redirection's target
      const end = closingParen(text, i + 1);
      out.push(...commandsOf(text.slice(i + 2, end - 1)));
      i = end;
    } else if (c === ">" || c === "<") {
      if (inWord && /^\d+$/.test(word)) {
        word = "";
        inWord = false;
      } else endWord();
      i += next === c ? 2 : 1;
      if (text[i] === "&") {
        i += 1;
        while (/[0-9-]/.test(text[i] ?? "")) i += 1;
      } else skipNextWord = true;
    } else if (c === "\\") {
      word += next ?? "";
      inWord = true;
      i += 2;
    } else if (c === "\n" || c === ";") {
      endCommand();
      i += 1;
    } else if (c === "&" || c === "|") {
      endCommand();
      i += next === c ? 2 : 1;
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i += 1;
    } else if (c === "`") {
      throw new Error(`backquote substitution: use $(...) instead, in: ${script.slice(0, 80)}`);
    } else {
      word += c;
      inWord = true;
      i += 1;
    }
  }
  endCommand();
  return out;
}

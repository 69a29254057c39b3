import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/** A path inside a YAML document: map keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/** `resourceTypes.LdapAccount.scalars[2].expression` */
export function formatYamlPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

export interface YamlSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** One parsed configuration file, able to say where any path of it was written. */
export interface YamlSource {
  readonly file: string;
  /** The document as plain JavaScript (null for an empty file); undefined when it did not parse. */
  readonly data: unknown;
  readonly errors: readonly YamlSyntaxError[];
  /**
   * Line and column (1-based) of the node at `path`, or of its deepest existing ancestor when the
   * path does not exist (a missing field is reported where its parent is). Scalars are located at
   * their value, maps and lists at their key.
   */
  locate(path: YamlPath): { readonly line: number; readonly column: number };
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { keepSourceTokens: true, lineCounter, uniqueKeys: true });
  const errors = document.errors.map((error) => ({
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
    message: error.message.split('\n')[0] ?? error.message,
  }));
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    file,
    data: errors.length > 0 ? undefined : document.toJS(),
    errors,
    locate(path) {
      let node: Node | null = document.contents as Node | null;
      let offset = node?.range?.[0] ?? 0;
      for (const segment of path) {
        let child: Node | null = null;
        if (isMap(node)) {
          const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
          if (pair) {
            child = (pair.value as Node | null) ?? null;
            // A scalar is located at its value (so a CEL column points into the expression); a
            // map or list, and a key without a value (`dependsOn:`), at the key that names it.
            const at = isScalar(child) ? child : (pair.key as Node);
            offset = at.range?.[0] ?? offset;
          }
        } else if (isSeq(node) && typeof segment === 'number') {
          child = (node.items[segment] as Node | undefined) ?? null;
          if (child?.range) offset = child.range[0];
        }
        if (!child) break;
        node = child;
      }
      return position(offset);
    },
  };
}

import type { SourceLocation } from '../expression.ts';
import type { ConfigProblem, ConfigProblemCode } from './config-problem.ts';
import { formatYamlPath, type YamlPath, type YamlSource } from './yaml-source.ts';

/** Collects every problem of a compilation, located through the parsed files. */
export class ProblemLog {
  readonly problems: ConfigProblem[] = [];
  readonly #sources = new Map<string, YamlSource>();

  addSource(source: YamlSource): void {
    this.#sources.set(source.file, source);
  }

  location(file: string, path: YamlPath): SourceLocation {
    const position = this.#sources.get(file)?.locate(path) ?? { line: 1, column: 1 };
    return { file, line: position.line, column: position.column, path: formatYamlPath(path) };
  }

  report(code: ConfigProblemCode, file: string, path: YamlPath, message: string): void {
    this.problems.push({ code, ...this.location(file, path), message });
  }

  /** Reports at an exact position (YAML syntax errors, which have no path). */
  reportAt(code: ConfigProblemCode, file: string, line: number, column: number, message: string): void {
    this.problems.push({ code, file, line, column, path: '', message });
  }
}

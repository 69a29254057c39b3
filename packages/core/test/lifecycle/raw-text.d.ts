/** Vite's `?raw` imports: the file's text. Lets core tests read docs without Node types. */
declare module '*.md?raw' {
  const text: string;
  export default text;
}

// Worker entry: Node cannot load TypeScript by itself, so register tsx's loader first (the
// project runs from source), then start the writer.
import { register } from 'tsx/esm/api';

register();
await import('./batch-writer-worker.ts');

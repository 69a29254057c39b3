import { cpus, totalmem } from 'node:os';

/** What a benchmark ran on, printed with its figures so that runs on different machines are not compared blindly. */
export function describeMachine() {
  const cpuList = cpus();
  return {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

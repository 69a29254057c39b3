import type { Command } from 'commander';

export interface ExportOptionValues {
  readonly exportInterval: string;
  readonly completeExportHours: string;
}

/** The export cadence options of an agent (`ordo agent`, and the embedded one of `ordo serve`). */
export function withExportOptions(command: Command): Command {
  return command
    .option(
      '--export-interval <seconds>',
      'incremental exports every N seconds (0 = on start and on change only)',
      '60',
    )
    .option(
      '--complete-export-hours <hours>',
      'a complete export at least this often: the backstop for deletions that incremental exports miss (0 = never)',
      '24',
    );
}

export function exportSettings(options: ExportOptionValues) {
  const interval = Number(options.exportInterval);
  const completeHours = Number(options.completeExportHours);
  return {
    enabled: true,
    intervalMs: interval > 0 ? interval * 1000 : null,
    completeEveryMs: completeHours > 0 ? completeHours * 3_600_000 : null,
  };
}

import { randomUUID } from 'node:crypto';
import { describeProvisioningState, type ProvisioningState, provisioningStateNames } from '@ordo/core';
import {
  confirmManualOrder,
  generateOrders,
  loadAppliedModel,
  orderTimeline,
  reportManualError,
  resumeSynchronization,
  systemClock,
  unblockOrders,
} from '@ordo/server';
import type { Command } from 'commander';
import { print, table } from '../format.ts';
import { withStores } from '../open-stores.ts';

const cliCause = { kind: 'user' as const, id: 'cli' };

export function registerOrderCommands(program: Command): void {
  const orders = program.command('orders').description('provisioning orders: generate, list, show');

  orders
    .command('generate')
    .description('turn pending assignments into orders (thresholds apply)')
    .option('--resume', 'resume the last run blocked by a threshold (a person accepts the exceeded limits)')
    .action(async (options: { resume?: boolean }) => {
      await withStores(program.opts().db, async (stores) => {
        const { model } = await loadAppliedModel(stores);
        const result = await generateOrders({ stores, clock: systemClock }, model, {
          cause: cliCause,
          resume: options.resume,
          newId: randomUUID,
        });
        if (result.status === 'nothing_to_resume') return print('no blocked generation run to resume');
        const exceeded = result.verdicts.filter((v) => v.exceeded);
        if (result.status === 'blocked') {
          print(`generation run ${result.runId} BLOCKED by thresholds; no order was written:`);
          for (const v of exceeded) {
            print(`  ${v.resourceTypeId} ${v.changeType}: ${v.count} orders > ${v.kind} limit ${v.limit}`);
          }
          print('review the plan, then run `ordo orders generate --resume` to proceed');
          process.exitCode = 3;
          return;
        }
        print(
          `generation run ${result.runId}: ${result.orders.length} orders, ${result.held.length} held, ${result.inactive} inactive`,
        );
        for (const h of result.held.slice(0, 10)) print(`  held ${h.assignedResourceTypeId}: ${h.reason} [${h.code}]`);
      });
    });

  orders
    .command('list')
    .description('list orders, newest ids first within a state')
    .option('--state <n>', 'provisioning state number (1 Pending, 2 Transmitted, ...)')
    .option('--connector <id>', 'only this connector')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (options: { state?: string; connector?: string; limit: string }) => {
      const state = options.state === undefined ? undefined : Number(options.state);
      if (state !== undefined && !(state in provisioningStateNames)) {
        throw Object.assign(new Error(`--state must be one of 0–8, not "${options.state}"`), {
          code: 'CLI_INVALID_OPTION',
        });
      }
      await withStores(program.opts().db, async (stores) => {
        const list = await stores.orders.list({
          state: state as ProvisioningState | undefined,
          connector: options.connector,
          limit: Number(options.limit) || 50,
        });
        print(
          table(
            ['order', 'state', 'change', 'resource type', 'owner', 'target', 'created'],
            list.map((o) => [
              o.id,
              describeProvisioningState(o.state),
              o.changeType,
              o.resourceTypeId,
              o.ownerId,
              o.targetKey ?? '(new)',
              o.createdAt,
            ]),
          ),
        );
      });
    });

  orders
    .command('show')
    .argument('<id>', 'order id')
    .description("an order's content and whole timeline: why it exists and every state change")
    .action(async (id: string) => {
      await withStores(program.opts().db, async (stores) => {
        const { order, owner, entries } = await orderTimeline({ stores }, id);
        print(`order ${order.id}  ${order.changeType}  ${describeProvisioningState(order.state)}`);
        print(`  resource type ${order.resourceTypeId} (connector ${order.connector}), run ${order.runId}`);
        print(
          `  owner ${owner ? `${owner.entityType} ${owner.key}` : order.ownerId}; target ${order.targetKey ?? '(to be created)'}`,
        );
        if (Object.keys(order.scalars).length) {
          print('  values:');
          for (const [p, v] of Object.entries(order.scalars)) print(`    ${p} = ${JSON.stringify(v)}`);
        }
        for (const [p, links] of Object.entries(order.addedLinks))
          print(`  add ${p}: ${links.map((l) => l.key).join(', ')}`);
        for (const [p, links] of Object.entries(order.removedLinks))
          print(`  remove ${p}: ${links.map((l) => l.key).join(', ')}`);
        print('\ntimeline:');
        for (const e of entries) {
          const move = `${e.from ?? '∅'} → ${e.to ?? '∅'}`;
          const why = [
            e.ruleId && `rule ${e.ruleId}`,
            e.expressionResult !== null &&
              e.expressionResult !== undefined &&
              `= ${JSON.stringify(e.expressionResult)}`,
            e.message,
          ]
            .filter(Boolean)
            .join('; ');
          print(
            `  ${e.at}  ${e.assignmentId}  ${e.stateKind} ${move}  ${e.event}  by ${e.cause.kind}:${e.cause.id}${why ? `  (${why})` : ''}`,
          );
        }
      });
    });

  orders
    .command('confirm')
    .argument('<id>', 'order id (a manual ticket in 2 Transmitted)')
    .description('confirm that a manual order was done: 8 Executed, or 4 Verified for a never-synchronized system')
    .action(async (id: string) => {
      await withStores(program.opts().db, async (stores) => {
        const { model } = await loadAppliedModel(stores);
        const order = await confirmManualOrder({ stores, clock: systemClock }, model, id, cliCause);
        print(`order ${order.id}: ${describeProvisioningState(order.state)}`);
      });
    });

  orders
    .command('report-error')
    .argument('<id>', 'order id (a manual ticket in 2 Transmitted)')
    .requiredOption('--message <text>', 'what went wrong, for the people who will unblock it')
    .description('report that a manual order cannot be done: 3 Errored with the message')
    .action(async (id: string, options: { message: string }) => {
      await withStores(program.opts().db, async (stores) => {
        const { model } = await loadAppliedModel(stores);
        const order = await reportManualError({ stores, clock: systemClock }, model, id, options.message, cliCause);
        print(`order ${order.id}: ${describeProvisioningState(order.state)}`);
      });
    });

  orders
    .command('unblock')
    .argument('<ids...>', 'ids of errored orders')
    .description('send errored orders again: 3 Errored → 1 Pending')
    .action(async (ids: string[]) => {
      await withStores(program.opts().db, async (stores) => {
        const done = await unblockOrders({ stores, clock: systemClock }, ids, cliCause);
        print(
          `unblocked ${done.length} of ${ids.length} order(s)${done.length < ids.length ? ' (the others are not Errored)' : ''}`,
        );
      });
    });

  program
    .command('sync')
    .description('synchronization runs')
    .command('resume')
    .argument('<connection>', 'the connection whose synchronization was blocked')
    .argument('<entityType>', 'the entity type it exports')
    .description('let the next synchronization through although it exceeds the connector thresholds')
    .action(async (connection: string, entityType: string) => {
      await withStores(program.opts().db, async (stores) => {
        const resumed = await resumeSynchronization({ stores }, connection, entityType, cliCause.id);
        print(
          resumed
            ? `the next synchronization of ${entityType} from ${connection} will go through`
            : 'no blocked synchronization to resume',
        );
      });
    });
}

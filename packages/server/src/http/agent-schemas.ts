import { z } from 'zod';

/** Request bodies of the agent protocol, checked before any use case runs. */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const key = z.string().max(2048);
const name = z.string().min(1).max(200);
const links = z.record(name, z.array(key).max(100_000));

export const leaseSchema = z.strictObject({
  connectors: z.array(name).max(1000).optional(),
  max: z.int().min(1).max(1000),
  slots: z.record(name, z.int().min(0).max(1000)).optional(),
  waitMs: z.int().min(0).max(30_000),
});

const failure = z.strictObject({
  message: z.string().max(10_000),
  kind: z.string().max(100),
  applied: z.enum(['no', 'maybe']),
  retryable: z.boolean(),
  retryAfterMs: z.int().min(0).optional(),
});

const objectState = z.strictObject({
  entityType: name,
  key,
  values: z.record(name, scalar),
  links,
});

const reportBase = { orderId: name, leaseToken: name };

export const reportsSchema = z.strictObject({
  reports: z
    .array(
      z.discriminatedUnion('outcome', [
        z.strictObject({
          ...reportBase,
          outcome: z.literal('executed'),
          key,
          changed: z.boolean(),
          readBack: objectState.nullable().optional(),
          readError: z.string().max(10_000).optional(),
        }),
        z.strictObject({
          ...reportBase,
          outcome: z.literal('retry'),
          error: failure,
          delayMs: z.int().min(0).max(86_400_000),
        }),
        z.strictObject({ ...reportBase, outcome: z.literal('errored'), error: failure }),
      ]),
    )
    .max(1000),
});

export const uploadSchema = z.strictObject({
  connector: name,
  connection: name,
  entityType: name,
  mode: z.enum(['complete', 'incremental']),
  objects: z.array(objectState).max(2_000_000),
  deletedKeys: z.array(key).max(2_000_000),
  cookie: z.string().max(100_000).nullable(),
});

export const cookieQuerySchema = z.strictObject({ connection: name, entityType: name });

export const statusSchema = z.strictObject({
  inFlight: z.int().min(0).max(1_000_000),
  breakers: z.record(
    name,
    z.strictObject({ state: z.enum(['closed', 'open', 'half_open']), reason: z.string().max(10_000).nullable() }),
  ),
});

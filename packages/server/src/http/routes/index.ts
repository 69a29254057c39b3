import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../api-deps.ts';
import { sessionRoutes } from './session-routes.ts';

export type RouteModule = (app: FastifyInstance, deps: ApiDeps) => Promise<void>;

/** Every module of the people-facing API, one per screen or duty. */
export const apiRouteModules: readonly RouteModule[] = [sessionRoutes];

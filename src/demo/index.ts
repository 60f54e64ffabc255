export { createDemoRouter } from './router.js';
export type { DemoRouterDeps } from './router.js';
export type { DemoPatient } from './patients.js';
export type { OrderCatalogItem } from './orderCatalog.js';

/**
 * The web app's HTTP side: `appRoutes` serves the Vue app of `clients/app/` at its screens'
 * addresses (`appPagePaths`) and its bundle under `/app/`, built with Vite on first use whenever
 * the build of the current sources is missing (`ensureAppBuilt`).
 */
export { appPagePaths, appRoutes } from './routes.js'
export { ensureAppBuilt } from './build.js'

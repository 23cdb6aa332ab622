/**
 * The web app's HTTP side: `appRoutes` serves the Vue app of `clients/app/` at its screens'
 * addresses (`appPagePaths`) and its bundle under `/app/`, built with Vite on first use whenever
 * the build is missing or older than its sources (`ensureAppBuilt`).
 */
export { appAssetsPath, appPagePaths, appRoutes } from './routes.js'
export { appSourceFingerprint, ensureAppBuilt } from './build.js'

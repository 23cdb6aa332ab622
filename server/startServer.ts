import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { documentContentDoc, padDoc } from '../schema/index.js'
import { DocHistory, SqliteDocStore, SqliteHistoryStore, SyncEngine, WalCheckpointer } from '../sync/index.js'
import { type FolioDatabase, openDatabase } from '../schema/db/index.js'
import { createSyncPolicy, LiveAccess } from './access/index.js'
import { docHooks, exportRoutes, registerAnnotationEvents } from './annotations/index.js'
import { AccountMails, authRoutes, bootstrapAccounts, LoginLimiter, publicConfigRoutes, SessionStore } from './auth/index.js'
import type { Config } from './config.js'
import { EventHub, Rooms } from './events/index.js'
import { historyRoutes, sessionContextHooks } from './history/index.js'
import { createLogger } from './logger.js'
import { registerAssignmentEvents } from './assignments/index.js'
import { registerConfigurationEvents, seedConfigurations } from './configurations/index.js'
import { LogTable, registerLogEvents, seedRecordSettings } from './logs/index.js'
import { registerMoodleEvents } from './moodle/index.js'
import { seedNavigation } from './navigation/index.js'
import { registerStatsEvents, StatsRecorder } from './stats/index.js'
import { registerServiceEvents, startServices } from './services/index.js'
import { registerSubmissionEvents } from './submissions/index.js'
import { toastFailures } from './toasts/index.js'
import { Mailer } from './mail/index.js'
import { researchRoutes } from './research/index.js'
import { getSetting, registerSettingsEvents } from './settings/index.js'
import { refuseShareWrite, registerShareEvents } from './shares/index.js'
import { registerStudyEvents, SessionFollowers, seedWorkflows, studyTableWriters } from './studies/index.js'
import { registerAppEvents, TableSync } from './realtime/index.js'
import { RpcRegistry, rpcRoutes } from './rpc/index.js'
import { AppUserPushes, registerUserEvents } from './users/index.js'
import { registerVersionEvents, startLogRetention } from './versions/index.js'
import { createEventsEndpoint } from './ws/eventsEndpoint.js'
import { createSignalingEndpoint } from './ws/signalingEndpoint.js'
import { createMuxEndpoint } from './ws/muxEndpoint.js'
import { createSyncEndpoint } from './ws/syncEndpoint.js'
import { FileStore, registerDocumentEvents } from './documents/index.js'
import { annotatedPdfRoutes, registerPdfAnnotationEvents } from './pdfAnnotations/index.js'
import { assetRoutes, padGrant, padHistoryRoutes, padModules, padRoutes, PdfRenderer } from './pad/index.js'
import { LiveRooms, RoomAssets, RoomStore, registerRoomEvents } from './rooms/index.js'
import { routeUpgrades } from './ws/websockets.js'
import { UserSockets } from './ws/UserSockets.js'
import { createHttpApp } from './http/httpApp.js'
import { OriginPolicy } from './http/OriginPolicy.js'

/** A running Folio server. */
export interface FolioServer {
  /** `http://host:port`, with the port actually bound (config port 0 picks a free one). */
  url: string
  port: number
  engine: SyncEngine
  /** Its database connection; every writer on it takes the connection's write turns (`SerialTransactions.of(db)`). */
  db: FolioDatabase
  /** Stores every live document, closes connections as going away, and closes the database. Idempotent. */
  close(): Promise<void>
}

/** Opens the database (applying migrations), seeds accounts, and serves HTTP, RPC, events and sync. */
export async function startServer(config: Config): Promise<FolioServer> {
  const logTable = new LogTable(config.records.logFlushMs)
  const log = createLogger(config.logLevel, undefined, { level: config.records.logTableLevel, stream: logTable.lineWriter('server') })
  const db = openDatabase(config.dbPath, config.dbSynchronous)
  logTable.attach(db)
  const checkpointer = new WalCheckpointer(db, config.dbPath, config.walCheckpointMs, (error) => log.error('db.checkpointer_failed', { error: error.message }))
  const { generatedAdminPassword } = await bootstrapAccounts(db, config.auth.adminPassword)
  await seedWorkflows(db)
  await seedConfigurations(db)
  await seedNavigation(db)
  await seedRecordSettings(db)
  if (generatedAdminPassword) process.stdout.write(`Created account "admin" with password: ${generatedAdminPassword}\n(shown once; set FOLIO_ADMIN_PASSWORD to choose it)\n`)

  const hub = new EventHub()
  const rooms = new Rooms(hub)
  const stats = new StatsRecorder(db, hub, { batchSize: config.records.statsBatchSize, flushMs: config.records.statsFlushMs }, log)
  const store = new SqliteDocStore(db)
  const annotationHooks = docHooks(rooms, db, log)
  const contextHooks = sessionContextHooks(db)
  const engine = new SyncEngine(store, config.sync, log, (name, doc) => [...annotationHooks(name, doc), ...contextHooks(name, doc)])
  const sessions = new SessionStore(db, config.auth.tokenLifetimeMs)
  const limiter = new LoginLimiter({
    maxFailuresPerAccount: config.auth.maxFailuresPerAccount,
    maxFailuresPerAddress: config.auth.maxFailuresPerAddress,
    windowMs: config.auth.failureWindowMs,
  })
  const tableSync = new TableSync(db, hub, log, config.maxSubscriptionsPerClient)
  const followers = new SessionFollowers(rooms, log)
  const liveAccess = new LiveAccess(engine, () => hub.endExpiredSessions(), config.accessRecheckMs, log)
  sessions.onEnded((userId) => liveAccess.sessionEnded(userId))
  const rpc = new RpcRegistry(
    db,
    async (changes, writer) => {
      await tableSync.publish(changes, writer)
      followers.publish(changes)
      liveAccess.tablesChanged(changes)
    },
    log,
  )
  const history = new DocHistory(new SqliteHistoryStore(db), documentContentDoc.text)
  const roomStore = new RoomStore(db)
  const staleParticipations = await roomStore.endStaleParticipations()
  if (staleParticipations > 0) log.info('rooms.stale_participations_ended', { count: staleParticipations })
  const roomAssets = new RoomAssets(db, roomStore, new FileStore(config.documents.filesDir), config.rooms.storageQuotaBytes)
  // The pad URLs need the bound address when no public URL is configured; it is known once listening.
  let listeningUrl = ''
  const publicUrl = () => config.rooms.publicUrl ?? listeningUrl
  const mails = new AccountMails(db, new Mailer(db, config.auth.mailTimeoutMs), publicUrl, log)
  const pdfRenderer = new PdfRenderer(config.rooms.pdfTimeoutMs)
  const liveRooms = new LiveRooms({
    store: roomStore,
    pads: padModules({ store: roomStore, assets: roomAssets, engine, renderPdf: (input) => pdfRenderer.render(input), publicUrl, log }),
    log,
    commandsPerSecond: config.rooms.signalingCommandsPerSecond,
    resumeWindowMs: config.rooms.resumeWindowMs,
  })
  // Every feature's RPC events, one line each; a new feature adds its line here.
  registerAppEvents(rpc, { tableSync, writers: { ...studyTableWriters(engine), share: refuseShareWrite } })
  registerSettingsEvents(rpc)
  registerDocumentEvents(rpc, { engine, rooms, documents: config.documents })
  registerAnnotationEvents(rpc, { engine, db })
  const annotatedPdfs = { engine, db, files: new FileStore(config.documents.filesDir) }
  registerPdfAnnotationEvents(rpc, annotatedPdfs)
  registerVersionEvents(rpc, { engine, history })
  registerRoomEvents(rpc, { roomStore, liveRooms })
  registerStudyEvents(rpc, { engine, followers })
  registerAssignmentEvents(rpc, { engine })
  registerSubmissionEvents(rpc, { engine })
  registerMoodleEvents(rpc, { store: new FileStore(config.documents.filesDir), limits: config.moodle, documents: config.documents })
  registerConfigurationEvents(rpc)
  registerShareEvents(rpc)
  // Clients' entries go to the log table only, redacted as the server's lines are.
  registerLogEvents(rpc, { clientLog: createLogger('silent', undefined, { level: 'debug', stream: logTable.lineWriter('client') }) })
  registerStatsEvents(rpc, { stats })
  const services = startServices({ config: config.nlp, db, engine, files: new FileStore(config.documents.filesDir), hub, publish: (changes, writer) => tableSync.publish(changes, writer), log })
  registerServiceEvents(rpc, services)
  toastFailures(rpc)
  registerUserEvents(rpc, { pushes: new AppUserPushes(hub, db), sessions, mails, limiter })

  const origins = new OriginPolicy(config.allowedOrigins, config.rooms.publicUrl)
  const app = createHttpApp(origins, log)
  app.get('/health', (c) => c.json({ status: 'ok', ...engine.stats() }))
  const registrationEnabled = async () => (await getSetting(db, 'app.register.enabled')) === 'true'
  app.route('/auth', authRoutes({ db, sessions, limiter, mails, config: config.auth, log, registrationEnabled }))
  app.route('/', publicConfigRoutes(db))
  app.route('/rpc', rpcRoutes(rpc, sessions, config.maxMessageBytes))
  app.route('/documents', historyRoutes(history, sessions, db))
  app.route('/documents', exportRoutes(engine, sessions, db))
  app.route('/documents', annotatedPdfRoutes(annotatedPdfs, sessions))
  app.route('/', researchRoutes(db, history, sessions, log))
  app.route('/assets', assetRoutes(roomAssets, roomStore, sessions, db))
  app.route('/rooms', padHistoryRoutes(new DocHistory(new SqliteHistoryStore(db), padDoc.text), roomStore, sessions, db))
  app.route(
    '/',
    padRoutes({
      describeSession: (roomId, secret) => roomStore.padSession(roomId, secret),
      secureCookie: config.auth.secureCookie,
      log,
    }),
  )

  const httpServer = await new Promise<Server>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(server as Server))
    // A port in use or not allowed fails the start instead of surfacing as an uncaught 'error' event.
    server.once('error', reject)
  })
  const userSockets = new UserSockets(config, log)
  const syncPolicy = createSyncPolicy(db, sessions, config.auth.scratchDocAccess, padGrant(roomStore))
  const endpoints = [
    createSyncEndpoint(engine, syncPolicy, userSockets, config, log),
    createMuxEndpoint(engine, syncPolicy, sessions, userSockets, config, log),
    createEventsEndpoint(rpc, sessions, hub, userSockets, config, log),
    createSignalingEndpoint(liveRooms, roomStore, sessions, userSockets, config, log),
  ]
  httpServer.on('upgrade', routeUpgrades(endpoints, origins, log))
  const { port } = httpServer.address() as AddressInfo
  listeningUrl = localUrl(config.host, port)
  if (!config.rooms.publicUrl && isWildcard(config.host)) {
    log.warn('rooms.public_url_guessed', { url: listeningUrl, hint: 'pad URLs point at this machine only; set FOLIO_PUBLIC_URL' })
  }
  // Trims at start and daily; without a retention setting the whole log is kept.
  const retention = config.logRetentionDays > 0 ? startLogRetention({ db, history, retentionDays: config.logRetentionDays, log }) : null
  log.info('server.started', { host: config.host, port, db: config.dbPath })

  let closing: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // With no RPC transaction open, the engine's last write turn runs in the turn that asked to stop:
      // updates applied earlier in that turn are still pending, and it stores them before any other
      // code can run. An open transaction is waited for, at most FOLIO_SHUTDOWN_WAIT_MS, then rolled back.
      // Statistics and log lines are stored first: the engine's last turn refuses later transactions.
      await services.close()
      await stats.close()
      await logTable.close()
      await engine.shutdown()
      await liveRooms.shutdown()
      liveAccess.stop()
      for (const endpoint of endpoints) endpoint.close()
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      httpServer.closeAllConnections()
      await pdfRenderer.close()
      await retention?.stop()
      await stopped
      await mails.settle()
      await checkpointer.stop()
      store.close()
      log.info('server.stopped', {})
    })())

  return { url: listeningUrl, port, engine, db, close }
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::'

/** `http://host:port` as a client on this machine reaches it: wildcard addresses are not addresses, IPv6 needs brackets. */
function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`
}
